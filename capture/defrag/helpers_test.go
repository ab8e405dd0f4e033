package defrag

import (
	"net"
	"time"

	"github.com/gopacket/gopacket/layers"
)

var t0 = time.Date(2026, 3, 4, 14, 3, 12, 0, time.UTC)

// frag is one fragment to feed, described the way a test reads best.
type frag struct {
	src   string // IPv4 source; "" means 10.40.1.22
	id    uint16
	proto layers.IPProtocol // 0 means UDP
	off   int               // in bytes, a multiple of 8
	more  bool
	data  []byte
	at    time.Duration // after t0
	cut   int           // bytes the snap length removed from the end
}

// ipv4 builds the decoded header Add expects from a DecodingLayerParser.
func (f frag) ipv4() *layers.IPv4 {
	src := f.src
	if src == "" {
		src = "10.40.1.22"
	}
	proto := f.proto
	if proto == 0 {
		proto = layers.IPProtocolUDP
	}
	ip := &layers.IPv4{
		Version: 4, IHL: 5, Id: f.id, Protocol: proto, TTL: 64,
		Length:     uint16(20 + len(f.data)),
		FragOffset: uint16(f.off / 8),
		SrcIP:      net.ParseIP(src).To4(),
		DstIP:      net.IPv4(10, 40, 0, 5).To4(),
	}
	if f.more {
		ip.Flags = layers.IPv4MoreFragments
	}
	ip.Payload = f.data[:len(f.data)-f.cut]
	return ip
}

// payload returns n recognisable bytes.
func payload(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*31+i/256)
	}
	return b
}

// split cuts data into fragments of size bytes (a multiple of 8), in order.
func split(data []byte, size int, id uint16) []frag {
	var out []frag
	for off := 0; off < len(data); off += size {
		end := min(off+size, len(data))
		out = append(out, frag{id: id, off: off, more: end < len(data), data: data[off:end]})
	}
	return out
}

// feed adds fragments in order and returns copies of the completed payloads.
func feed(d *Defragmenter, frags []frag) [][]byte {
	var done [][]byte
	for _, f := range frags {
		if out, ok := d.Add(f.ipv4(), t0.Add(f.at)); ok {
			done = append(done, append([]byte(nil), out...))
		}
	}
	return done
}

// reorder returns frags in the given index order.
func reorder(frags []frag, order ...int) []frag {
	out := make([]frag, len(order))
	for i, j := range order {
		out[i] = frags[j]
	}
	return out
}
