package capture

import "sync/atomic"

// Stats are the capture layer's counters. They are updated on the packet path
// with atomic adds and read by metrics and the summary from other goroutines.
type Stats struct {
	Packets atomic.Uint64
	Bytes   atomic.Uint64

	// Packets not decoded to a flow, by reason.
	UnknownLink    atomic.Uint64
	Malformed      atomic.Uint64
	NotIP          atomic.Uint64
	OtherTransport atomic.Uint64
	IPv6Fragment   atomic.Uint64

	FlowsCreated atomic.Uint64
	FlowsEvicted atomic.Uint64
	FlowsActive  atomic.Int64
	// Emergency mode entered and left (flow table under pressure).
	EmergencyEntered atomic.Uint64
	EmergencyLeft    atomic.Uint64

	TCPGaps         atomic.Uint64 // holes in TCP streams reported to analyzers
	TCPGapBytes     atomic.Uint64
	TCPOverlapBytes atomic.Uint64 // retransmitted or overlapping bytes trimmed
	// ReassemblyCapHits counts holes skipped early because the out-of-order
	// buffer (per connection or in total) was full.
	ReassemblyCapHits atomic.Uint64

	AnalyzerPanics atomic.Uint64
	PacketPanics   atomic.Uint64 // panics outside analyzers; the packet was dropped
}

func (s *Stats) countDecode(reason string) {
	switch reason {
	case reasonUnknownLink:
		s.UnknownLink.Add(1)
	case reasonMalformed:
		s.Malformed.Add(1)
	case reasonNotIP:
		s.NotIP.Add(1)
	case reasonOtherL4:
		s.OtherTransport.Add(1)
	case reasonIPv6Fragment:
		s.IPv6Fragment.Add(1)
	}
}

// Counters is a plain copy of Stats at one moment, which can be summed across
// workers.
type Counters struct {
	Packets, Bytes                                              uint64
	UnknownLink, Malformed, NotIP, OtherTransport, IPv6Fragment uint64
	FlowsCreated, FlowsEvicted, EmergencyEntered, EmergencyLeft uint64
	FlowsActive                                                 int64
	TCPGaps, TCPGapBytes, TCPOverlapBytes, ReassemblyCapHits    uint64
	AnalyzerPanics, PacketPanics                                uint64
}

// Counters copies the current values.
func (s *Stats) Counters() Counters {
	return Counters{
		Packets: s.Packets.Load(), Bytes: s.Bytes.Load(),
		UnknownLink: s.UnknownLink.Load(), Malformed: s.Malformed.Load(), NotIP: s.NotIP.Load(),
		OtherTransport: s.OtherTransport.Load(), IPv6Fragment: s.IPv6Fragment.Load(),
		FlowsCreated: s.FlowsCreated.Load(), FlowsEvicted: s.FlowsEvicted.Load(), FlowsActive: s.FlowsActive.Load(),
		EmergencyEntered: s.EmergencyEntered.Load(), EmergencyLeft: s.EmergencyLeft.Load(),
		TCPGaps: s.TCPGaps.Load(), TCPGapBytes: s.TCPGapBytes.Load(), TCPOverlapBytes: s.TCPOverlapBytes.Load(),
		ReassemblyCapHits: s.ReassemblyCapHits.Load(),
		AnalyzerPanics:    s.AnalyzerPanics.Load(), PacketPanics: s.PacketPanics.Load(),
	}
}

// Add sums o into c.
func (c *Counters) Add(o Counters) {
	c.Packets += o.Packets
	c.Bytes += o.Bytes
	c.UnknownLink += o.UnknownLink
	c.Malformed += o.Malformed
	c.NotIP += o.NotIP
	c.OtherTransport += o.OtherTransport
	c.IPv6Fragment += o.IPv6Fragment
	c.FlowsCreated += o.FlowsCreated
	c.FlowsEvicted += o.FlowsEvicted
	c.FlowsActive += o.FlowsActive
	c.EmergencyEntered += o.EmergencyEntered
	c.EmergencyLeft += o.EmergencyLeft
	c.TCPGaps += o.TCPGaps
	c.TCPGapBytes += o.TCPGapBytes
	c.TCPOverlapBytes += o.TCPOverlapBytes
	c.ReassemblyCapHits += o.ReassemblyCapHits
	c.AnalyzerPanics += o.AnalyzerPanics
	c.PacketPanics += o.PacketPanics
}

// Undecoded returns packets not decoded to a flow, by reason.
func (c *Counters) Undecoded() map[string]uint64 {
	return map[string]uint64{
		reasonUnknownLink: c.UnknownLink, reasonMalformed: c.Malformed, reasonNotIP: c.NotIP,
		reasonOtherL4: c.OtherTransport, reasonIPv6Fragment: c.IPv6Fragment,
	}
}

// Dropped returns the packets, bytes and flows lost, by reason: the summary's
// "dropped". Zero counts are left out.
func (c *Counters) Dropped() map[string]uint64 {
	out := map[string]uint64{}
	add := func(k string, v uint64) {
		if v > 0 {
			out[k] = v
		}
	}
	for k, v := range c.Undecoded() {
		add(k, v)
	}
	add("flows_evicted", c.FlowsEvicted)
	add("tcp_gap_bytes", c.TCPGapBytes)
	add("reassembly_cap_hits", c.ReassemblyCapHits)
	add("analyzer_panics", c.AnalyzerPanics)
	add("packet_panics", c.PacketPanics)
	return out
}
