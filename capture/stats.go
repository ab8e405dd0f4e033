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

// Dropped returns the packets and flows lost, by reason: the summary's "dropped".
// Zero counts are left out.
func (s *Stats) Dropped() map[string]uint64 {
	out := map[string]uint64{}
	add := func(k string, v uint64) {
		if v > 0 {
			out[k] = v
		}
	}
	add(reasonUnknownLink, s.UnknownLink.Load())
	add(reasonMalformed, s.Malformed.Load())
	add(reasonNotIP, s.NotIP.Load())
	add(reasonOtherL4, s.OtherTransport.Load())
	add(reasonIPv6Fragment, s.IPv6Fragment.Load())
	add("flows_evicted", s.FlowsEvicted.Load())
	add("tcp_gap_bytes", s.TCPGapBytes.Load())
	add("reassembly_cap_hits", s.ReassemblyCapHits.Load())
	add("analyzer_panics", s.AnalyzerPanics.Load())
	add("packet_panics", s.PacketPanics.Load())
	return out
}
