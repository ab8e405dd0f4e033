package defrag

import (
	"encoding/binary"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFloodStaysBounded feeds 1,000,000 first fragments of distinct datagrams
// that never complete, as a fragment flood does, and checks after every one
// that the held bytes and datagrams stay under their caps, that the eviction
// counter carries the overflow, and that the Go heap does not grow with it.
func TestFloodStaysBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a million fragments")
	}
	cases := []struct {
		name string
		size int // fragment payload; the large one makes MaxBytes the binding cap
	}{
		{"count cap binds", 1480},
		{"byte cap binds", 8000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			d := New(cfg)
			ip := &layers.IPv4{
				Version: 4, IHL: 5, Protocol: layers.IPProtocolUDP, Flags: layers.IPv4MoreFragments,
				Length: uint16(20 + tc.size), SrcIP: net.IPv4(192, 0, 2, 0).To4(), DstIP: net.IPv4(10, 40, 0, 5).To4(),
			}
			ip.Payload = make([]byte, tc.size)
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			const n = 1_000_000
			for i := range n {
				binary.BigEndian.PutUint16(ip.SrcIP[2:], uint16(i>>16)) // distinct keys
				ip.Id = uint16(i)
				if _, ok := d.Add(ip, t0.Add(time.Duration(i)*time.Microsecond)); ok {
					t.Fatal("an incomplete datagram completed")
				}
				if d.held > cfg.MaxBytes || len(d.table) > cfg.MaxDatagrams {
					t.Fatalf("after %d fragments: %d bytes in %d datagrams", i+1, d.held, len(d.table))
				}
			}
			var after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&after)

			st := d.Stats()
			assert.Equal(t, uint64(n), st.Fragments)
			assert.LessOrEqual(t, st.HeldBytes, uint64(cfg.MaxBytes))
			assert.LessOrEqual(t, st.HeldDatagrams, uint64(cfg.MaxDatagrams))
			assert.Equal(t, uint64(n)-st.HeldDatagrams, st.EvictedAtCap, "every datagram not held was evicted and counted")
			assert.Zero(t, st.Reassembled+st.TimedOut+st.Invalid)
			grown := int64(after.HeapInuse) - int64(before.HeapInuse)
			assert.Less(t, grown, int64(cfg.MaxBytes+8<<20), "heap grew by %d bytes", grown)
			t.Logf("held %d datagrams, %d bytes; evicted %d; heap grew %d bytes", st.HeldDatagrams, st.HeldBytes, st.EvictedAtCap, grown)
		})
	}
}

// TestFloodOfLateFragmentsForOneDatagram checks the per-datagram caps: a flood
// of fragments for one key never holds more than 64 KiB.
func TestFloodOfLateFragmentsForOneDatagram(t *testing.T) {
	d := New(Config{MaxFragmentsPerDatagram: 100000})
	data := make([]byte, 1480)
	for i := range 100000 {
		f := frag{id: 1, off: (i * 1480) % 64000 &^ 7, more: true, data: data}
		d.Add(f.ipv4(), t0)
		require.LessOrEqual(t, d.held, maxIPv4Length)
	}
	st := d.Stats()
	assert.Greater(t, st.Duplicates, uint64(90000))
}
