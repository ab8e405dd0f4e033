package gen

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"

	"labwatch/protocols/app"
)

// Generate writes the capture o describes to w, as pcap or pcapng, and returns
// what it holds. It streams: memory grows with the number of concurrent flows
// and of TCP connections (one StreamTruth each), never with the packets.
func Generate(o Options, w io.Writer) (Truth, error) {
	o, err := o.normalized()
	if err != nil {
		return Truth{}, err
	}
	out, err := newSink(w, o.Link, o.PcapNG)
	if err != nil {
		return Truth{}, fmt.Errorf("gen: %w", err)
	}
	g := newGenerator(o, out)
	if err := g.run(); err != nil {
		return *g.truth, fmt.Errorf("gen: %w", err)
	}
	g.truth.FileBytes, err = out.flush()
	g.truth.Planted = planted(g.patients)
	g.truth.Devices = len(g.devices)
	g.truth.Flows = len(g.tuples)
	if err != nil {
		return *g.truth, fmt.Errorf("gen: %w", err)
	}
	return *g.truth, nil
}

// Capture generates o in memory; for tests of small captures.
func Capture(o Options) ([]byte, Truth, error) {
	var b bytes.Buffer
	t, err := Generate(o, &b)
	return b.Bytes(), t, err
}

// generator holds the state of one run.
type generator struct {
	o         Options
	r         *rng
	topo      *topology
	patients  []patient
	noise     []byte // pseudo-random bytes for ciphertext and key material
	blobBuf   []byte
	reportBuf []byte
	dnsb      *dnsBuilder
	dnsNames  []dnsName
	// dnsClients are the hosts that resolve names.
	dnsClients []*host

	truth   *Truth
	devices map[netip.Addr]struct{}
	tuples  map[fiveTuple]struct{}

	fr   *framer
	out  *sink
	disp dispenser

	plan    []flowSpec
	planPos int
	rounds  int

	flows    flowHeap
	free     []*flow
	active   int
	launched uint64
	lastTS   int64
	fragSeq  int
	n        counters
}

// counters drive the deterministic "every n-th" choices.
type counters struct {
	hl7Batch, hl7Ack, astmKind, astmFrame, control int
}

type fiveTuple struct {
	transport app.Transport
	client    netip.AddrPort
	server    netip.AddrPort
}

// newGenerator builds the topology and the pseudo-random material of a run.
func newGenerator(o Options, out *sink) *generator {
	r := newRNG(o.Seed)
	g := &generator{
		o: o, r: r, out: out,
		truth:    newTruth(),
		devices:  map[netip.Addr]struct{}{},
		tuples:   map[fiveTuple]struct{}{},
		fr:       newFramer(o.Link),
		dnsb:     newDNSBuilder(),
		patients: newPatients(),
		lastTS:   o.Start.UnixMicro(),
	}
	g.topo = newTopology(o, r)
	g.dnsNames = labDNSNames(g.topo)
	g.dnsClients = append(g.dnsClients, g.topo.workstations...)
	g.dnsClients = append(g.dnsClients, g.topo.lis, g.topo.engine)
	g.dnsClients = append(g.dnsClients, g.topo.analyzers[:min(4, len(g.topo.analyzers))]...)
	g.noise = make([]byte, 64<<10)
	for i := 0; i < len(g.noise); i += 8 {
		v := r.Uint64()
		for j := range 8 {
			g.noise[i+j] = byte(v >> (8 * j))
		}
	}
	return g
}
