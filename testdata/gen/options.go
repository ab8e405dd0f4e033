package gen

import (
	"errors"
	"fmt"
	"time"
)

// LinkType names the link layer written in the capture.
type LinkType string

const (
	LinkEthernet LinkType = "ethernet" // Ethernet II, with 802.1Q / 802.1ad tags where asked
	LinkSLL      LinkType = "sll"      // Linux cooked capture v1 (tags are stripped, as the kernel does)
	LinkSLL2     LinkType = "sll2"     // Linux cooked capture v2
	LinkRaw      LinkType = "raw"      // bare IPv4/IPv6 packets
)

// Options describes the capture to generate. The same Options always give a
// byte-identical capture.
type Options struct {
	Seed   uint64
	Start  time.Time // first packet time (default 2026-03-02T08:00:00Z, a Monday)
	Link   LinkType  // default ethernet
	PcapNG bool      // write pcapng instead of pcap
	// KeepPayload stores the exact payload bytes of every TCP direction in
	// Truth.Streams. Leave it off for large captures.
	KeepPayload bool

	// Traffic mix. When TargetPackets is set the mix is a "round" that repeats
	// until the target is reached; every count below then applies per round.
	HL7Conns       int // MLLP connections (ports 2575 and 6661)
	HL7MsgsPerConn int // messages per connection (varied ±30%, default 5)
	ASTMSessions   int // ENQ…EOT sessions over TCP port 5000, grouped 1–4 per connection
	ZPLJobs        int // print jobs (1–3 labels each) to printers on TCP 9100
	TLSConns       int // TLS 1.3 connections on 443 and 6443
	DNSQueries     int // UDP 53 query + response pairs

	// Impairments, as counts of events spread over the TCP flows.
	Retransmits int // a data segment captured twice
	Reorders    int // two adjacent data segments captured in swapped order
	Losses      int // a data segment missing from the capture (a gap for the sensor)
	VLAN        int // TCP flows carried with one 802.1Q tag (Ethernet only)
	QinQ        int // TCP flows carried with 802.1ad outer + 802.1Q inner tags (Ethernet only)
	Fragments   int // IPv4 datagrams split into fragments (one in two sent last fragment first)
	IPv6Flows   int // TCP flows between the lab hosts' ULA (fd00:40::/64) addresses

	// Bench profile knobs.
	ConcurrentFlows int // TCP/UDP flows kept open at once (default 8)
	TargetPackets   int // repeat the traffic mix until this many packets are written

	// Topology and pacing.
	Analyzers int           // analyzers on the lab network (default 8)
	FlowGap   time.Duration // mean time between two connection starts (default 250ms)
	ThinkTime time.Duration // mean idle time between exchanges on one connection (default 1.5s)
}

// Demo is the small capture bundled as testdata/pcap/demo.pcapng: every protocol
// and every impairment at least once, two VLANs, QinQ, fragments and IPv6.
func Demo() Options {
	return Options{
		Seed:            20260302,
		HL7Conns:        24,
		HL7MsgsPerConn:  6,
		ASTMSessions:    40,
		ZPLJobs:         8,
		TLSConns:        8,
		DNSQueries:      30,
		Retransmits:     3,
		Reorders:        2,
		Losses:          2,
		VLAN:            4,
		QinQ:            2,
		Fragments:       3,
		IPv6Flows:       3,
		ConcurrentFlows: 12,
		FlowGap:         3 * time.Second,
		ThinkTime:       5 * time.Second,
	}
}

// Bench is the dense capture used by `make bench`: at least two million packets
// over more than two thousand concurrent flows. Generate streams it to its writer.
func Bench() Options {
	return Options{
		Seed:            1,
		HL7Conns:        1500,
		HL7MsgsPerConn:  24,
		ASTMSessions:    600,
		ZPLJobs:         250,
		TLSConns:        1000,
		DNSQueries:      600,
		Retransmits:     300,
		Reorders:        150,
		Losses:          40,
		VLAN:            400,
		QinQ:            60,
		Fragments:       60,
		IPv6Flows:       200,
		ConcurrentFlows: 2500,
		TargetPackets:   2_000_000,
		Analyzers:       160,
		FlowGap:         time.Millisecond,
		ThinkTime:       1500 * time.Millisecond,
	}
}

// Profile returns the named profile: "demo" or "bench".
func Profile(name string) (Options, error) {
	switch name {
	case "demo":
		return Demo(), nil
	case "bench":
		return Bench(), nil
	}
	return Options{}, fmt.Errorf("gen: unknown profile %q (want demo or bench)", name)
}

// Validate reports whether Generate would accept o.
func (o Options) Validate() error {
	_, err := o.normalized()
	return err
}

// normalized checks o and fills in defaults.
func (o Options) normalized() (Options, error) {
	if o.Start.IsZero() {
		o.Start = defaultStart
	}
	o.Start = o.Start.UTC().Truncate(time.Microsecond)
	switch o.Link {
	case "":
		o.Link = LinkEthernet
	case LinkEthernet, LinkSLL, LinkSLL2, LinkRaw:
	default:
		return o, fmt.Errorf("gen: unknown link type %q", o.Link)
	}
	counts := []struct {
		name string
		v    int
	}{
		{"HL7Conns", o.HL7Conns}, {"ASTMSessions", o.ASTMSessions}, {"ZPLJobs", o.ZPLJobs},
		{"TLSConns", o.TLSConns}, {"DNSQueries", o.DNSQueries}, {"Retransmits", o.Retransmits},
		{"Reorders", o.Reorders}, {"Losses", o.Losses}, {"VLAN", o.VLAN}, {"QinQ", o.QinQ},
		{"Fragments", o.Fragments}, {"IPv6Flows", o.IPv6Flows},
	}
	for _, c := range counts {
		if c.v < 0 || c.v > maxCountPerKind {
			return o, fmt.Errorf("gen: %s=%d out of range [0, %d]", c.name, c.v, maxCountPerKind)
		}
	}
	if o.HL7MsgsPerConn == 0 {
		o.HL7MsgsPerConn = defaultMsgsPerConn
	}
	if o.HL7MsgsPerConn < 0 || o.HL7MsgsPerConn > maxMsgsPerConn {
		return o, fmt.Errorf("gen: HL7MsgsPerConn=%d out of range [1, %d]", o.HL7MsgsPerConn, maxMsgsPerConn)
	}
	if o.ConcurrentFlows == 0 {
		o.ConcurrentFlows = defaultConcurrentFlows
	}
	if o.ConcurrentFlows < 0 || o.ConcurrentFlows > maxConcurrentFlows {
		return o, fmt.Errorf("gen: ConcurrentFlows=%d out of range [1, %d]", o.ConcurrentFlows, maxConcurrentFlows)
	}
	if o.Analyzers == 0 {
		o.Analyzers = defaultAnalyzers
	}
	if o.Analyzers < 0 || o.Analyzers > maxAnalyzers {
		return o, fmt.Errorf("gen: Analyzers=%d out of range [1, %d]", o.Analyzers, maxAnalyzers)
	}
	if o.FlowGap == 0 {
		o.FlowGap = defaultFlowGap
	}
	if o.ThinkTime == 0 {
		o.ThinkTime = defaultThinkTime
	}
	if o.FlowGap < 0 || o.ThinkTime < 0 {
		return o, errors.New("gen: FlowGap and ThinkTime must not be negative")
	}
	if o.TargetPackets < 0 || o.TargetPackets > maxTargetPackets {
		return o, fmt.Errorf("gen: TargetPackets=%d out of range [0, %d]", o.TargetPackets, maxTargetPackets)
	}
	if o.TargetPackets > 0 && o.HL7Conns+o.ASTMSessions+o.ZPLJobs+o.TLSConns+o.DNSQueries == 0 {
		return o, errors.New("gen: TargetPackets needs some traffic to repeat")
	}
	return o, nil
}
