package capture

import (
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

func testEngine(rec *recorder) *Engine {
	return NewEngine(DefaultConfig(), rec)
}

// conversation builds a handshake, a request, a response and a FIN exchange, and
// returns the segments with the payloads sent in each direction.
func conversation(w *wire, req, resp []byte, mss int) (segs []seg) {
	segs = append(segs, w.handshake()...)
	segs = append(segs, w.data(true, req, mss, 10*time.Millisecond)...)
	segs = append(segs, w.data(false, resp, mss, 200*time.Millisecond)...)
	segs = append(segs,
		seg{c2s: true, fin: true, ack: true, seq: w.cseq, at: 400 * time.Millisecond},
		seg{c2s: false, fin: true, ack: true, seq: w.sseq, at: 401 * time.Millisecond},
	)
	return segs
}

func TestStreamInOrder(t *testing.T) {
	rec := newRecorder()
	e := testEngine(rec)
	w := newWire(t)
	req, resp := pattern(5000, 1), pattern(3000, 2)
	w.feed(e, conversation(w, req, resp, 1460))
	e.Close()

	s := rec.only(t)
	assert.Equal(t, req, s.data[app.ClientToServer])
	assert.Equal(t, resp, s.data[app.ServerToClient])
	assert.Equal(t, [2]int{1, 1}, s.ends)
	assert.Equal(t, [2]int{0, 0}, s.gaps)
	assert.Equal(t, 1, s.expired)
	assert.Equal(t, "10.40.1.22:51515", s.flow.Client.String())
	assert.Equal(t, "10.40.0.5:2575", s.flow.Server.String())
	assert.Equal(t, [2]bool{true, true}, s.flow.HasMAC)
}

func TestStreamReordered(t *testing.T) {
	rec := newRecorder()
	e := testEngine(rec)
	w := newWire(t)
	req, resp := pattern(6000, 3), pattern(4000, 4)
	segs := conversation(w, req, resp, 1000)
	// Swap request segments 1 and 2, and response segments 0 and 3.
	segs[4], segs[5] = segs[5], segs[4]
	r0 := 3 + 6
	segs[r0], segs[r0+3] = segs[r0+3], segs[r0]
	w.feed(e, segs)
	e.Close()

	s := rec.only(t)
	assert.Equal(t, req, s.data[app.ClientToServer])
	assert.Equal(t, resp, s.data[app.ServerToClient])
	assert.Equal(t, [2]int{0, 0}, s.gaps)
}

func TestStreamRetransmitted(t *testing.T) {
	rec := newRecorder()
	e := testEngine(rec)
	w := newWire(t)
	req, resp := pattern(4000, 5), pattern(100, 6)
	segs := conversation(w, req, resp, 1000)
	// Retransmit request segment 1 after segment 2, and segment 0 at the end.
	dup1, dup0 := segs[4], segs[3]
	withDup := append([]seg{}, segs[:6]...)
	withDup = append(withDup, dup1)
	withDup = append(withDup, segs[6:7]...)
	withDup = append(withDup, dup0)
	withDup = append(withDup, segs[7:]...)
	w.feed(e, withDup)
	e.Close()

	s := rec.only(t)
	assert.Equal(t, req, s.data[app.ClientToServer], "retransmitted bytes must be delivered once")
	assert.Equal(t, resp, s.data[app.ServerToClient])
	assert.Equal(t, uint64(2000), e.Stats().TCPOverlapBytes.Load())
}

func TestStreamGap(t *testing.T) {
	rec := newRecorder()
	e := testEngine(rec)
	w := newWire(t)
	req, resp := pattern(5000, 7), pattern(300, 8)
	segs := conversation(w, req, resp, 1000)
	lost := segs[3+2] // request bytes 2000..2999 never captured
	segs = append(segs[:5:5], segs[6:]...)
	// A later packet of another flow moves the clock past the gap wait.
	w.feed(e, segs)
	other := newWire(t)
	other.cport = 40000
	data, ci := other.tcp(seg{c2s: true, syn: true, seq: 1, at: 10 * time.Second})
	e.Packet(data, ci, layers.LinkTypeEthernet)
	e.Close()

	s := rec.streams[rec.order[0]]
	want := append(append([]byte{}, req[:2000]...), req[3000:]...)
	assert.Equal(t, want, s.data[app.ClientToServer])
	assert.Equal(t, len(lost.payload), s.gaps[app.ClientToServer])
	assert.Equal(t, resp, s.data[app.ServerToClient])
	assert.Equal(t, uint64(1), e.Stats().TCPGaps.Load())
	assert.Equal(t, uint64(1000), e.Stats().TCPGapBytes.Load())
}

func TestStreamMidstreamPickup(t *testing.T) {
	rec := newRecorder()
	e := testEngine(rec)
	w := newWire(t)
	// No handshake: the capture starts with the server's response.
	resp := w.data(false, pattern(1500, 9), 1000, 0)
	req := w.data(true, pattern(800, 10), 1000, 5*time.Millisecond)
	w.feed(e, append(resp, req...))
	e.Close()

	s := rec.only(t)
	assert.Equal(t, "10.40.0.5:2575", s.flow.Server.String(), "the side on the service port is the server")
	assert.Equal(t, pattern(1500, 9), s.data[app.ServerToClient])
	assert.Equal(t, pattern(800, 10), s.data[app.ClientToServer])
}

func TestAnalyzerPanicStaysInFlow(t *testing.T) {
	rec := newRecorder()
	rec.panicOn = "boom"
	e := testEngine(rec)
	w := newWire(t)
	segs := w.handshake()
	segs = append(segs, w.data(true, []byte("boom"), 1000, 10*time.Millisecond)...)
	segs = append(segs, w.data(true, []byte("after"), 1000, 20*time.Millisecond)...)
	w.feed(e, segs)

	w2 := newWire(t)
	w2.cport = 40001
	w2.feed(e, conversation(w2, []byte("fine"), []byte("ok"), 1000))
	e.Close()

	assert.Equal(t, uint64(1), e.Stats().AnalyzerPanics.Load())
	first, second := rec.streams[rec.order[0]], rec.streams[rec.order[1]]
	assert.Empty(t, first.data[app.ClientToServer], "the panicking flow's analyzer is dropped")
	assert.Equal(t, []byte("fine"), second.data[app.ClientToServer])
}

func udpPacket(t *testing.T, w *wire, sport, dport uint16, at time.Duration, payload []byte) ([]byte, gopacket.CaptureInfo) {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: w.cli, DstIP: w.srv}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	require.NoError(t, udp.SetNetworkLayerForChecksum(ip))
	return w.frame(ip, udp, payload, at)
}

func TestFlowTableCapEvictsOldest(t *testing.T) {
	rec := newRecorder()
	cfg := DefaultConfig()
	cfg.Flows.Max = 10
	e := NewEngine(cfg, rec)
	w := newWire(t)
	for i := 0; i < 25; i++ {
		data, ci := udpPacket(t, w, uint16(20000+i), 53, time.Duration(i)*time.Millisecond, []byte("q"))
		e.Packet(data, ci, layers.LinkTypeEthernet)
	}
	assert.Equal(t, 10, e.Flows())
	assert.Equal(t, uint64(15), e.Stats().FlowsEvicted.Load())
	for i := 0; i < 15; i++ {
		assert.Equal(t, EndEvicted, rec.ended[rec.order[i]], "flow %d is among the oldest", i)
	}
	for i := 15; i < 25; i++ {
		_, gone := rec.ended[rec.order[i]]
		assert.False(t, gone, "flow %d is among the newest", i)
	}
	e.Close()
	assert.Len(t, rec.ended, 25)
	assert.Equal(t, int64(0), e.Stats().FlowsActive.Load())
}

func TestFlowIdleTimeoutOnCaptureClock(t *testing.T) {
	rec := newRecorder()
	e := testEngine(rec)
	w := newWire(t)
	data, ci := udpPacket(t, w, 30000, 53, 0, []byte("a"))
	e.Packet(data, ci, layers.LinkTypeEthernet)
	// Reply from the server keeps the same flow; direction is reversed.
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: w.srv, DstIP: w.cli}
	udp := &layers.UDP{SrcPort: 53, DstPort: 30000}
	require.NoError(t, udp.SetNetworkLayerForChecksum(ip))
	data, ci = w.frame(ip, udp, []byte("b"), time.Millisecond)
	e.Packet(data, ci, layers.LinkTypeEthernet)

	s := rec.only(t)
	assert.Equal(t, [][]byte{[]byte("a")}, s.udp[app.ClientToServer])
	assert.Equal(t, [][]byte{[]byte("b")}, s.udp[app.ServerToClient])

	e.Advance(w.clock.Add(30 * time.Second))
	assert.Empty(t, rec.ended, "not idle long enough")
	e.Advance(w.clock.Add(2 * time.Minute))
	assert.Equal(t, EndIdle, rec.ended[s.flow.ID])
}

func TestSymmetricKey(t *testing.T) {
	a := netip.MustParseAddrPort("10.0.0.1:1000")
	b := netip.MustParseAddrPort("10.0.0.2:80")
	assert.Equal(t, makeKey(a, b, 6), makeKey(b, a, 6))
	assert.NotEqual(t, makeKey(a, b, 6), makeKey(a, b, 17))
}

func TestEngineDoesNotAllocatePerPacket(t *testing.T) {
	e := NewEngine(DefaultConfig(), nopHandler{})
	w := newWire(t)
	w.feed(e, w.handshake())
	// Pre-build a long in-order run of client segments.
	segs := w.data(true, pattern(1460*600, 11), 1460, 10*time.Millisecond)
	frames := make([][]byte, len(segs))
	cis := make([]gopacket.CaptureInfo, len(segs))
	for i, s := range segs {
		frames[i], cis[i] = w.tcp(s)
	}
	for i := 0; i < 100; i++ { // warm up
		e.Packet(frames[i], cis[i], layers.LinkTypeEthernet)
	}
	i := 100
	allocs := testing.AllocsPerRun(400, func() {
		e.Packet(frames[i], cis[i], layers.LinkTypeEthernet)
		i++
	})
	assert.Zero(t, allocs, "decode, flow lookup and in-order reassembly must not allocate")
}

type nopHandler struct{}

func (nopHandler) FlowStart(*Flow) (app.Analyzer, app.DatagramAnalyzer) { return nopAnalyzer{}, nil }
func (nopHandler) FlowEnd(*Flow, EndReason)                             {}

type nopAnalyzer struct{}

func (nopAnalyzer) Data(app.Direction, []byte, time.Time) {}
func (nopAnalyzer) Gap(app.Direction, int)                {}
func (nopAnalyzer) End(app.Direction)                     {}
func (nopAnalyzer) Expire()                               {}

func TestReassemblyBufferCap(t *testing.T) {
	rec := newRecorder()
	cfg := DefaultConfig()
	cfg.Reassembly.MaxPagesPerConn = 4
	e := NewEngine(cfg, rec)
	w := newWire(t)
	req := pattern(20000, 12)
	segs := w.handshake()
	data := w.data(true, req, 1000, 10*time.Millisecond)
	segs = append(segs, data[1:]...) // the first segment is never captured
	w.feed(e, segs)
	assert.NotZero(t, e.Stats().ReassemblyCapHits.Load(), "out-of-order data beyond the cap is not held back")
	s := rec.only(t)
	assert.Equal(t, 1000, s.gaps[app.ClientToServer])
	got := s.data[app.ClientToServer]
	assert.NotEmpty(t, got, "data after the hole is delivered before the flush")
	assert.Equal(t, req[1000:1000+len(got)], got, "in order after the hole")
	e.Close()
	assert.Equal(t, req[1000:], s.data[app.ClientToServer])
}

type progressRecorder struct {
	*recorder
	reports int
	seen    [2]uint64 // sum of the deltas reported
}

func (p *progressRecorder) FlowProgress(f *Flow) {
	p.reports++
	for d := range p.seen {
		p.seen[d] += f.Bytes[d] - f.Reported[d]
	}
}

func TestLiveFlowsReportProgress(t *testing.T) {
	rec := &progressRecorder{recorder: newRecorder()}
	e := NewEngine(DefaultConfig(), rec)
	w := newWire(t)
	segs := w.handshake()
	segs = append(segs, w.data(true, pattern(1000, 1), 1000, 10*time.Millisecond)...)
	segs = append(segs, w.data(true, pattern(1000, 2), 1000, 90*time.Second)...)
	segs = append(segs, w.data(true, pattern(1000, 3), 1000, 200*time.Second)...)
	w.feed(e, segs)
	e.Advance(w.clock.Add(5 * time.Minute))
	assert.GreaterOrEqual(t, rec.reports, 2, "a long flow is reported about once a minute")
	f := rec.only(t).flow
	assert.Equal(t, f.Bytes, f.Reported, "everything carried was reported")
	assert.Equal(t, f.Bytes, rec.seen, "deltas add up to the flow's bytes")
}
