package capture

import (
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
)

func TestShardOfIsSymmetricAndSpreads(t *testing.T) {
	w := newWire(t)
	c2s, _ := w.tcp(seg{c2s: true, seq: 1, payload: []byte("x")})
	s2c, _ := w.tcp(seg{c2s: false, seq: 1, payload: []byte("y")})
	for n := 2; n <= 8; n++ {
		assert.Equal(t, ShardOf(c2s, layers.LinkTypeEthernet, n), ShardOf(s2c, layers.LinkTypeEthernet, n))
	}
	w.vlans, w.qinq = []uint16{100, 40}, true
	tagged, _ := w.tcp(seg{c2s: true, seq: 1, payload: []byte("x")})
	assert.Equal(t, ShardOf(c2s, layers.LinkTypeEthernet, 4), ShardOf(tagged, layers.LinkTypeEthernet, 4), "tags do not move a flow")

	// Many host pairs spread over the workers.
	seen := map[int]int{}
	for i := 0; i < 200; i++ {
		w := newWire(t)
		w.cli = []byte{10, 40, byte(i / 10), byte(i)}
		data, _ := udpPacket(t, w, 40000, 53, time.Duration(i), []byte("q"))
		seen[ShardOf(data, layers.LinkTypeEthernet, 4)]++
	}
	assert.Len(t, seen, 4)
	for shard, n := range seen {
		assert.Greater(t, n, 20, "shard %d gets a fair share", shard)
	}
	assert.Equal(t, 0, ShardOf([]byte{1, 2}, layers.LinkTypeEthernet, 4), "short or non-IP packets go to worker 0")
	assert.Equal(t, 0, ShardOf(c2s, layers.LinkTypeEthernet, 1))
}

func FuzzShardOf(f *testing.F) {
	f.Add([]byte{0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}, uint16(layers.LinkTypeRaw))
	f.Fuzz(func(t *testing.T, data []byte, link uint16) {
		if s := ShardOf(data, layers.LinkType(link), 3); s < 0 || s >= 3 {
			t.Fatalf("shard %d out of range", s)
		}
	})
}

// FuzzSharder routes arbitrary packets and fragments: the worker is always in
// range, and a rebuilt datagram is a packet the sharder routes again to the
// same worker.
func FuzzSharder(f *testing.F) {
	f.Add([]byte{0x45, 0, 0, 28, 0, 1, 0x20, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 53, 0, 53, 0, 8, 0, 0}, uint16(layers.LinkTypeRaw))
	f.Add([]byte{0x45, 0, 0, 28, 0, 1, 0, 1, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8}, uint16(layers.LinkTypeRaw))
	f.Fuzz(func(t *testing.T, data []byte, link uint16) {
		s := NewSharder(3, DefaultConfig().Defrag)
		var ci gopacket.CaptureInfo
		ci.CaptureLength, ci.Length = len(data), len(data)
		// Twice: the second copy of a fragment meets the first in the defragmenter.
		for range 2 {
			w, out, outCI, ok := s.Route(data, ci, layers.LinkType(link))
			if !ok {
				continue
			}
			if w < 0 || w >= 3 {
				t.Fatalf("worker %d out of range", w)
			}
			if outCI.CaptureLength != len(out) {
				t.Fatalf("capture length %d for %d bytes", outCI.CaptureLength, len(out))
			}
			if again, _, _, _ := NewSharder(3, DefaultConfig().Defrag).Route(out, outCI, layers.LinkType(link)); again != w {
				t.Fatalf("rebuilt packet routed to %d, first to %d", again, w)
			}
		}
	})
}
