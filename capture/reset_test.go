package capture

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

// TestResetEndsTheWholeConnection: an in-order RST from one side ends both
// directions. Before, the assembler ended the sender's half only, so the flow
// stayed open for the TCP idle timeout (10 minutes: a 6% RST share grew the
// flow table without bound on a long replay), and a new connection on the same
// 4-tuple was read as the old one continuing, with a gap of the ISN distance.
func TestResetEndsTheWholeConnection(t *testing.T) {
	rec := newRecorder()
	cfg := DefaultConfig()
	cfg.Flows.TCPClosed = time.Second
	e := NewEngine(cfg, rec)
	w := newWire(t)
	req, resp := pattern(3000, 51), pattern(500, 52)
	segs := append(w.handshake(), w.data(true, req, 1000, 10*time.Millisecond)...)
	segs = append(segs, w.data(false, resp, 1000, 20*time.Millisecond)...)
	segs = append(segs, seg{c2s: true, rst: true, seq: w.cseq, at: 30 * time.Millisecond})
	w.feed(e, segs)

	require.Len(t, rec.order, 1)
	first := rec.streams[rec.order[0]]
	assert.Equal(t, [2]int{1, 1}, first.ends, "both directions ended by the client's RST")
	assert.True(t, bytes.Equal(req, first.data[app.ClientToServer]))
	assert.True(t, bytes.Equal(resp, first.data[app.ServerToClient]))

	// Seconds later the closed flow has left the table.
	e.Advance(w.clock.Add(3 * time.Second))
	assert.Zero(t, e.Stats().FlowsActive.Load(), "the reset flow ended after tcp_closed, not tcp_idle")

	// The client reuses its port with an ISN a million bytes ahead.
	w.clock = w.clock.Add(4 * time.Second)
	w.cseq, w.sseq = w.cseq+1_000_000, w.sseq+5_000_000
	again := pattern(2000, 53)
	w.feed(e, append(w.handshake(), w.data(true, again, 1000, 10*time.Millisecond)...))
	e.Close()
	require.Len(t, rec.order, 2, "a new connection, a new flow")
	second := rec.streams[rec.order[1]]
	assert.True(t, bytes.Equal(again, second.data[app.ClientToServer]))
	assert.Zero(t, second.gaps[app.ClientToServer], "no phantom gap from the old connection")
	assert.Zero(t, e.Stats().TCPGapBytes.Load())
}

// TestOutOfWindowResetIsIgnored: a RST that is not at the next sequence number
// (a blind injection, RFC 5961) ends nothing.
func TestOutOfWindowResetIsIgnored(t *testing.T) {
	rec := newRecorder()
	e := testEngine(rec)
	w := newWire(t)
	req := pattern(3000, 54)
	segs := append(w.handshake(), w.data(true, req[:1000], 1000, 10*time.Millisecond)...)
	segs = append(segs, seg{c2s: true, rst: true, seq: w.cseq + 50_000, at: 15 * time.Millisecond})
	segs = append(segs, w.data(true, req[1000:], 1000, 20*time.Millisecond)...)
	w.feed(e, segs)
	s := rec.only(t)
	assert.Equal(t, [2]int{0, 0}, s.ends, "nothing ended before Close")
	assert.True(t, bytes.Equal(req, s.data[app.ClientToServer]), "data after the blind RST is delivered")
	e.Close()
}

// TestSYNWithNewISNStartsANewConnection: a client that reuses its 4-tuple while
// the old connection never closed (its FIN or RST lost, or the peer silent)
// opens a new connection. The assembler would drop the SYN and read the new
// data as the old stream jumping ahead — a phantom gap of the ISN distance
// (5.7 GB of gap bytes on the 10-million-packet capture). A retransmitted SYN
// (same ISN) is not a new connection.
func TestSYNWithNewISNStartsANewConnection(t *testing.T) {
	rec := newRecorder()
	e := testEngine(rec)
	w := newWire(t)
	first, second := pattern(3000, 61), pattern(2000, 62)
	syn := w.handshake()
	w.feed(e, append(append(syn, syn[0]), w.data(true, first, 1000, 10*time.Millisecond)...))

	w.clock = w.clock.Add(2 * time.Second)
	w.cseq, w.sseq = w.cseq+1_000_000, w.sseq+3_000_000
	w.feed(e, append(w.handshake(), w.data(true, second, 1000, 10*time.Millisecond)...))
	e.Close()

	require.Len(t, rec.order, 2, "the second SYN starts a second flow, the retransmitted one does not")
	old := rec.streams[rec.order[0]]
	assert.True(t, bytes.Equal(first, old.data[app.ClientToServer]))
	assert.Equal(t, 1, old.expired, "the old connection's analyzer is flushed")
	again := rec.streams[rec.order[1]]
	assert.True(t, bytes.Equal(second, again.data[app.ClientToServer]))
	assert.Zero(t, e.Stats().TCPGapBytes.Load(), "no phantom gap")
}
