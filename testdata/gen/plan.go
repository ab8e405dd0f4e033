package gen

// VLAN ids of the lab: analyzers and LIS on 40, specimen reception on 41; the
// provider bridge carries them inside service VLAN 100.
const (
	vlanLab       = 40
	vlanReception = 41
	vlanService   = 100
)

// planRound lays out one round of the traffic mix in shuffled order, with RSTs,
// VLAN tags and IPv6 spread evenly over its TCP flows, and queues the round's
// impairments.
func (g *generator) planRound() []flowSpec {
	o := &g.o
	var specs []flowSpec
	writes := 0
	for i := range o.HL7Conns {
		v := hl7Archetype(i % int(hl7Archetypes))
		n := g.vary(o.HL7MsgsPerConn)
		specs = append(specs, flowSpec{kind: kindHL7, variant: int(v), count: n, outbound: v == hl7RefLab})
		writes += 2 * n
	}
	for left := o.ASTMSessions; left > 0; {
		n := min(left, g.r.between(1, 4))
		specs = append(specs, flowSpec{kind: kindASTM, count: n})
		left -= n
		writes += 7 * n
	}
	for range o.ZPLJobs {
		specs = append(specs, flowSpec{kind: kindZPL})
		writes++
	}
	for i := range o.TLSConns {
		v := tlsArchetype(i % int(tlsArchetypes))
		specs = append(specs, flowSpec{kind: kindTLS, variant: int(v), outbound: v == tlsRefLab})
		writes += 8
	}
	for range o.DNSQueries {
		specs = append(specs, flowSpec{kind: kindDNS})
	}
	g.r.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })

	var tcp, internal []int
	for i := range specs {
		if specs[i].kind == kindDNS {
			continue
		}
		if len(tcp)%16 == 7 {
			specs[i].reset = true
		}
		tcp = append(tcp, i)
		if !specs[i].outbound {
			internal = append(internal, i)
		}
	}
	if o.Link == LinkEthernet {
		for _, i := range spread(tcp, o.QinQ) {
			specs[i].tags = []uint16{vlanService, vlanLab}
		}
		var untagged []int
		for _, i := range tcp {
			if specs[i].tags == nil {
				untagged = append(untagged, i)
			}
		}
		for j, i := range spread(untagged, o.VLAN) {
			specs[i].tags = []uint16{vlanLab + uint16(j%2)*(vlanReception-vlanLab)}
		}
	}
	for _, i := range spread(internal, o.IPv6Flows) {
		specs[i].v6 = true
	}
	g.disp.addRound(o, writes)
	return specs
}

// spread picks k of the candidates, evenly apart.
func spread(candidates []int, k int) []int {
	n := len(candidates)
	k = min(k, n)
	out := make([]int, 0, k)
	for j := range k {
		out = append(out, candidates[(2*j+1)*n/(2*k)])
	}
	return out
}

// vary returns n give or take 30%, at least 1.
func (g *generator) vary(n int) int {
	return max(1, g.r.between(n*7/10, n*13/10))
}

// nextSpec returns the next planned flow, starting a new round when the
// current one is used up and the packet target is not reached.
func (g *generator) nextSpec() (flowSpec, bool) {
	if g.planPos == len(g.plan) {
		if g.rounds > 0 && (g.o.TargetPackets == 0 || g.winding()) {
			return flowSpec{}, false
		}
		g.plan, g.planPos = g.planRound(), 0
		g.rounds++
		if len(g.plan) == 0 {
			return flowSpec{}, false
		}
	}
	s := g.plan[g.planPos]
	g.planPos++
	return s, true
}
