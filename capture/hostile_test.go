package capture

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/internal/heaptest"
	"labwatch/protocols/app"
)

// Hostile traffic at the capture layer (issue 9); the whole-pipeline cases are
// in sensor/hostile_test.go.

// closeWithLastACK returns the teardown of w's connection: FIN both ways and
// the client's last ACK, which comes after both halves are closed.
func closeWithLastACK(w *wire, at time.Duration) []seg {
	out := []seg{
		{c2s: true, fin: true, ack: true, seq: w.cseq, at: at},
		{c2s: false, fin: true, ack: true, seq: w.sseq, at: at + time.Millisecond},
		{c2s: true, ack: true, seq: w.cseq + 1, at: at + 2*time.Millisecond},
	}
	w.cseq++
	w.sseq++
	return out
}

// TestLastACKDoesNotReopenClosedConnection: the ACK that follows a FIN
// exchange must not open a new reassembly connection. Such a leftover lived
// for the TCP idle timeout, so a storm of short connections grew the
// assembler past the flow cap, and a new connection on the same 4-tuple had
// its SYN and data taken for a continuation of the dead one.
func TestLastACKDoesNotReopenClosedConnection(t *testing.T) {
	rec := newRecorder()
	cfg := DefaultConfig()
	cfg.Flows.TCPClosed = time.Second
	e := NewEngine(cfg, rec)
	w := newWire(t)
	first, second := pattern(3000, 31), pattern(2500, 32)
	segs := append(w.handshake(), w.data(true, first, 1000, 10*time.Millisecond)...)
	w.feed(e, append(segs, closeWithLastACK(w, 20*time.Millisecond)...))

	// Five seconds later the client reuses its port with a new ISN.
	w.clock = w.clock.Add(5 * time.Second)
	w.cseq, w.sseq = 100, 7_000_000 // below the old ISN: read as a retransmission
	segs = append(w.handshake(), w.data(true, second, 1000, 10*time.Millisecond)...)
	w.feed(e, append(segs, closeWithLastACK(w, 20*time.Millisecond)...))
	e.Close()

	require.Len(t, rec.order, 2, "two connections, two flows")
	assert.True(t, bytes.Equal(first, rec.streams[rec.order[0]].data[app.ClientToServer]))
	again := rec.streams[rec.order[1]]
	assert.True(t, bytes.Equal(second, again.data[app.ClientToServer]), "the second connection's bytes are delivered")
	assert.Zero(t, again.gaps[app.ClientToServer])
}

// withPayload returns s carrying p instead.
func withPayload(s seg, p []byte) seg {
	s.payload = p
	return s
}

// TestOverlappingRetransmissionsWithDifferentContents pins the overlap policy
// of reassembly (gopacket's): bytes already delivered are never replaced, so
// for in-order data the first copy wins; out-of-order data still queued is
// overwritten by a later copy, so there the last copy wins. Both kinds of
// overlap are counted.
func TestOverlappingRetransmissionsWithDifferentContents(t *testing.T) {
	req := pattern(4000, 41)
	garbage := pattern(1000, 99)
	t.Run("delivered: first copy wins", func(t *testing.T) {
		rec := newRecorder()
		e := testEngine(rec)
		w := newWire(t)
		segs := conversation(w, req, pattern(100, 42), 1000)
		// Request segment 1 again with other bytes, after segment 2.
		segs = append(segs[:6:6], append([]seg{withPayload(segs[4], garbage)}, segs[6:]...)...)
		w.feed(e, segs)
		e.Close()
		assert.True(t, bytes.Equal(req, rec.only(t).data[app.ClientToServer]), "the first copy was delivered")
		assert.Equal(t, uint64(1000), e.Stats().TCPOverlapBytes.Load())
	})
	t.Run("queued: last copy wins", func(t *testing.T) {
		rec := newRecorder()
		e := testEngine(rec)
		w := newWire(t)
		segs := conversation(w, req, pattern(100, 42), 1000)
		// Segment 1 arrives early with other bytes, then its real copy, then segment 0.
		s0, s1 := segs[3], segs[4]
		segs = append(append(segs[:3:3], withPayload(s1, garbage), s1, s0), segs[5:]...)
		w.feed(e, segs)
		e.Close()
		assert.True(t, bytes.Equal(req, rec.only(t).data[app.ClientToServer]), "the last copy was delivered")
		assert.Equal(t, uint64(1000), e.Stats().TCPOverlapBytes.Load())
	})
}

// TestShortConnectionStormStaysBounded: tens of thousands of complete short
// connections (handshake, one request, FIN both ways, last ACK) through a
// table of 1,000 flows. Memory follows the flow cap, not the number of
// connections: the assembler keeps nothing of a connection once it closed.
func TestShortConnectionStormStaysBounded(t *testing.T) {
	const n, maxFlows = 30_000, 1_000
	rec := newRecorder()
	rec.port = 1 // record nothing: the recorder's own memory would grow with n
	cfg := DefaultConfig()
	cfg.Flows.Max = maxFlows
	e := NewEngine(cfg, rec)
	before := heaptest.Inuse()
	w := newWire(t)
	req := pattern(200, 51)
	for i := 0; i < n; i++ {
		w.cport = uint16(1024 + i%60000)
		w.cli = []byte{10, 41, byte(i >> 8), byte(i)}
		w.clock = w.clock.Add(100 * time.Microsecond)
		segs := append(w.handshake(), w.data(true, req, 1000, 0)...)
		w.feed(e, append(segs, closeWithLastACK(w, time.Millisecond)...))
	}
	// Bound: the flow cap's flows at about 2 KiB each (record, map slot,
	// reassembly connection and stream) and 8 MiB for the GC's slack; a
	// connection left behind per closed flow would take about 2 KiB × n.
	heaptest.AssertGrowth(t, before, maxFlows*2<<10+8<<20, "short connection storm")
	st := e.Stats()
	assert.Equal(t, uint64(n), st.FlowsCreated.Load())
	assert.LessOrEqual(t, e.Flows(), maxFlows)
	e.Close()
}
