package defrag

import (
	"encoding/binary"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// BenchmarkReassemble reassembles 4000-byte datagrams from three fragments
// arriving out of order.
func BenchmarkReassemble(b *testing.B) {
	d := New(Config{})
	f := split(payload(4000, 1), 1480, 0)
	ips := []*layers.IPv4{f[1].ipv4(), f[0].ipv4(), f[2].ipv4()}
	b.ReportAllocs()
	b.SetBytes(4000)
	id := uint16(0)
	for b.Loop() {
		id++
		for _, ip := range ips {
			ip.Id = id
			d.Add(ip, t0)
		}
	}
	if d.Stats().Reassembled == 0 {
		b.Fatal("nothing reassembled")
	}
}

// BenchmarkFlood adds first fragments of distinct datagrams that never
// complete: the eviction path at MaxDatagrams.
func BenchmarkFlood(b *testing.B) {
	d := New(Config{})
	ip := &layers.IPv4{
		Version: 4, IHL: 5, Protocol: layers.IPProtocolUDP, Flags: layers.IPv4MoreFragments, Length: 20 + 1480,
		SrcIP: net.IPv4(192, 0, 2, 0).To4(), DstIP: net.IPv4(10, 40, 0, 5).To4(),
	}
	ip.Payload = make([]byte, 1480)
	b.ReportAllocs()
	b.SetBytes(1480)
	i := 0
	for b.Loop() {
		i++
		binary.BigEndian.PutUint16(ip.SrcIP[2:], uint16(i>>16))
		ip.Id = uint16(i)
		d.Add(ip, t0.Add(time.Duration(i)))
	}
}
