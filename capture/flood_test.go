package capture

import (
	"bytes"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"

	"labwatch/protocols/app"
)

// TestSYNFloodStaysBoundedAndNormalTrafficGoesOn sends a flood of distinct SYN
// 4-tuples with a real conversation in the middle: the flow table stays at its
// cap, emergency mode is entered (and left once the flood is over), memory stays
// bounded, and the conversation is delivered whole.
func TestSYNFloodStaysBoundedAndNormalTrafficGoesOn(t *testing.T) {
	n := 300_000
	if testing.Short() {
		n = 50_000
	}
	rec := newRecorder()
	rec.port = 6661 // keep only the conversation, not 300,000 flood flows
	cfg := DefaultConfig()
	cfg.Flows.Max = 10_000
	e := NewEngine(cfg, rec)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	w := newWire(t)
	w.sport = 6661
	req, resp := pattern(20_000, 21), pattern(3_000, 22)
	normal := conversation(w, req, resp, 1400)

	// The handshake and the first request segment arrive together, as they do
	// on a real network (milliseconds apart); the rest is spread over the flood.
	w.feed(e, normal[:4])
	normal = normal[4:]

	attacker := newWire(t)
	attacker.sport = 80
	for i := 0; i < n; i++ {
		attacker.cli = net.IPv4(172, 16, byte(i>>16), byte(i>>8)).To4()
		attacker.cport = uint16(1024 + i%60000)
		at := time.Duration(i) * 50 * time.Microsecond // 20,000 SYNs per second
		data, ci := attacker.tcp(seg{c2s: true, syn: true, seq: uint32(i), at: at})
		e.Packet(data, ci, layers.LinkTypeEthernet)
		if i%(n/len(normal)) == 0 && len(normal) > 0 {
			s := normal[0]
			normal = normal[1:]
			s.at = at
			data, ci := w.tcp(s)
			e.Packet(data, ci, layers.LinkTypeEthernet)
		}
		if i == n/2 {
			assert.LessOrEqual(t, e.Flows(), cfg.Flows.Max)
		}
	}
	w.feed(e, normal)
	st := e.Stats()
	assert.LessOrEqual(t, e.Flows(), cfg.Flows.Max, "the table stays at its cap")
	assert.NotZero(t, st.FlowsEvicted.Load(), "the cap's counter rises")
	assert.NotZero(t, st.EmergencyEntered.Load(), "emergency mode was entered")

	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	assert.Less(t, grown, int64(64<<20), "heap grew %d MB for %d SYNs", grown>>20, n)

	// The flood stops: an idle minute later the table drains and emergency ends.
	end := time.Duration(n)*50*time.Microsecond + time.Minute
	e.Advance(w.clock.Add(end))
	e.Advance(w.clock.Add(end + 2*time.Second))
	assert.NotZero(t, st.EmergencyLeft.Load(), "emergency mode was left")
	e.Close()

	if assert.Len(t, rec.streams, 1, "the conversation is one flow, never evicted by the flood") {
		conv := rec.only(t)
		// Compare lengths and bytes without printing megabytes on failure.
		assert.Equal(t, len(req), len(conv.data[app.ClientToServer]))
		assert.True(t, bytes.Equal(req, conv.data[app.ClientToServer]), "request delivered whole despite the flood")
		assert.True(t, bytes.Equal(resp, conv.data[app.ServerToClient]), "response delivered whole")
	}
}
