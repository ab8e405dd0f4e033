package capture

import (
	"encoding/binary"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"labwatch/capture/defrag"
)

// Sharder routes packets to n workers by ShardOf for a reader that spreads them
// itself. IPv4 fragments are reassembled on the way, as the kernel does for
// AF_PACKET fanout, so that a datagram reaches the worker owning its flow: the
// fragment that completes one is replaced by the whole datagram rebuilt as a
// single packet. One Sharder per reader goroutine; Stats and DefragStats may be
// read from others.
type Sharder struct {
	n      int
	dec    *Decoder
	d      Decoded
	defrag *defrag.Defragmenter
	out    []byte // the rebuilt datagram handed out last
	// stats counts the fragments the Sharder consumed (every fragment but the
	// one that completes a datagram, which goes on as the rebuilt packet), so
	// that the workers' counters plus these equal what was read.
	stats Stats
}

// NewSharder routes over n workers, holding fragments within cfg's caps.
func NewSharder(n int, cfg defrag.Config) *Sharder {
	return &Sharder{n: n, dec: NewDecoder(), defrag: defrag.New(cfg)}
}

// Route returns the worker for a packet and the packet to give it: data and ci
// themselves, or the rebuilt datagram (valid until the next call) when data
// completes one. ok is false when the fragment is held (or dropped as
// malformed, counted).
func (s *Sharder) Route(data []byte, ci gopacket.CaptureInfo, link layers.LinkType) (worker int, out []byte, outCI gopacket.CaptureInfo, ok bool) {
	ip, isIP := locateIP(data, link)
	switch {
	case !isIP:
		return 0, data, ci, true
	case !ip.fragment || s.n <= 1:
		return ip.worker(s.n), data, ci, true
	}
	// A fragment the decoder cannot read goes on to a worker, which counts it
	// like any undecodable packet.
	if s.dec.Decode(data, link, &s.d) != "" || !s.d.Fragment {
		return ip.worker(s.n), data, ci, true
	}
	s.stats.Packets.Add(1)
	s.stats.Bytes.Add(uint64(ci.Length))
	v4 := s.dec.IPv4()
	payload, complete := s.defrag.Add(v4, ci.Timestamp)
	if !complete {
		return 0, nil, ci, false
	}
	out, good := s.rebuild(data[:ip.off], v4.Contents, payload)
	if !good {
		s.stats.Malformed.Add(1)
		return 0, nil, ci, false
	}
	// The rebuilt packet is counted by its worker as the completing fragment.
	s.stats.Packets.Add(^uint64(0))
	s.stats.Bytes.Add(-uint64(ci.Length))
	ci.CaptureLength = len(out)
	rebuilt, _ := locateIP(out, link)
	return rebuilt.worker(s.n), out, ci, true
}

// rebuild writes the link headers, the IPv4 header with the fragment fields
// cleared and the length and checksum set, and the reassembled payload.
func (s *Sharder) rebuild(link, header, payload []byte) ([]byte, bool) {
	total := len(header) + len(payload)
	if len(header) < 20 || total > 0xffff {
		return nil, false
	}
	out := append(append(append(s.out[:0], link...), header...), payload...)
	s.out = out
	h := out[len(link) : len(link)+len(header)]
	binary.BigEndian.PutUint16(h[2:4], uint16(total))
	binary.BigEndian.PutUint16(h[6:8], 0)
	binary.BigEndian.PutUint16(h[10:12], 0)
	binary.BigEndian.PutUint16(h[10:12], ipv4Checksum(h))
	return out, true
}

func ipv4Checksum(h []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// Expire drops incomplete datagrams older than the defragmenter's timeout.
func (s *Sharder) Expire(now time.Time) { s.defrag.Expire(now) }

// Counters returns the packets and bytes of fragments held or consumed.
func (s *Sharder) Counters() Counters { return s.stats.Counters() }

// DefragStats returns the reassembly counters.
func (s *Sharder) DefragStats() defrag.Stats { return s.defrag.Stats() }
