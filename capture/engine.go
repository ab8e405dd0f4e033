package capture

import (
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"

	"labwatch/capture/defrag"
	"labwatch/protocols/app"
)

// Handler is the next stage: it learns of flows starting and ending, and gives the
// consumers of each flow's payload.
type Handler interface {
	// FlowStart is called for a new flow before its first packet is processed. It
	// returns the consumer of the flow's payload: a stream analyzer for TCP, a
	// datagram analyzer for UDP; nil means the payload is not analysed.
	FlowStart(f *Flow) (app.Analyzer, app.DatagramAnalyzer)
	// FlowEnd is called once when the flow ends, after its analyzer's Expire.
	FlowEnd(f *Flow, reason EndReason)
}

// ProgressHandler is an optional Handler extension: it hears, every
// progressEvery of capture time, of live flows that carried bytes since the last
// report (Flow.Reported holds what was reported before), so that long-lived
// connections count in hourly volumes before they end.
type ProgressHandler interface {
	FlowProgress(f *Flow)
}

// tickEvery is how often (capture time) timeouts are checked; progressEvery
// how often live flows are reported.
const (
	tickEvery     = time.Second
	progressEvery = time.Minute
)

// Engine runs decode, defragmentation, the flow table and TCP reassembly for one
// packet at a time. It is not safe for concurrent use: one Engine per worker.
type Engine struct {
	cfg     Config
	handler Handler
	dec     *Decoder
	d       Decoded
	flows   *FlowTable
	defrag  *defrag.Defragmenter
	asm     *reassembly.Assembler
	ctx     captureContext
	rst     layers.TCP // the RST closeAfterReset hands the assembler
	rstHdr  [20]byte   // and its header bytes
	stats   Stats

	evidence  *Evidence // nil: no evidence capture
	ringBytes int       // evidence ring budget held by this engine's flows

	progress     ProgressHandler // nil when the handler does not want progress
	lastProgress time.Time

	now, lastTick time.Time
	// cur and curDir are the flow and direction of the packet being assembled,
	// read by streamFactory.New and tcpStream.current.
	cur    *Flow
	curDir app.Direction
}

// NewEngine builds an engine delivering to h.
func NewEngine(cfg Config, h Handler) *Engine {
	def := DefaultConfig()
	if cfg.Flows.Max == 0 {
		cfg.Flows = def.Flows
	}
	if cfg.Reassembly.GapWait == 0 {
		cfg.Reassembly = def.Reassembly
	}
	if cfg.Defrag.MaxDatagrams == 0 {
		cfg.Defrag = def.Defrag
	}
	e := &Engine{cfg: cfg, handler: h, dec: NewDecoder(), defrag: defrag.New(cfg.Defrag)}
	e.flows = NewFlowTable(cfg.Flows, e.flowEnded)
	e.progress, _ = h.(ProgressHandler)
	pool := reassembly.NewStreamPool(streamFactory{e})
	e.asm = reassembly.NewAssembler(pool)
	e.asm.MaxBufferedPagesPerConnection = cfg.Reassembly.MaxPagesPerConn
	e.asm.MaxBufferedPagesTotal = cfg.Reassembly.MaxPagesTotal
	return e
}

// SetEvidence turns evidence capture on; one Evidence is shared by all engines.
func (e *Engine) SetEvidence(ev *Evidence) { e.evidence = ev }

// Stats returns the engine's live counters (safe to read from other goroutines).
func (e *Engine) Stats() *Stats { return &e.stats }

// DefragStats returns the defragmenter's counters.
func (e *Engine) DefragStats() defrag.Stats { return e.defrag.Stats() }

// Flows returns the number of live flows.
func (e *Engine) Flows() int { return e.flows.Len() }

// Packet processes one captured packet.
func (e *Engine) Packet(data []byte, ci gopacket.CaptureInfo, link layers.LinkType) {
	defer e.recoverPacket()
	e.stats.Packets.Add(1)
	e.stats.Bytes.Add(uint64(ci.Length))
	ts := ci.Timestamp
	e.Advance(ts)

	d := &e.d
	if r := e.dec.Decode(data, link, d); r != "" {
		e.stats.countDecode(r)
		return
	}
	if d.Fragment {
		ip := e.dec.IPv4()
		payload, complete := e.defrag.Add(ip, ts)
		if !complete {
			return
		}
		if r := e.dec.DecodeTransport(payload, ip.Protocol, d); r != "" {
			e.stats.countDecode(r)
			return
		}
	}
	src := netip.AddrPortFrom(d.Src, d.SrcPort)
	dst := netip.AddrPortFrom(d.Dst, d.DstPort)
	f, dir, created := e.flows.Lookup(src, dst, d, ts)
	if !created && d.Transport == 6 && reusedBy(f, dir, d.TCP) {
		e.endForReuse(f, dir, e.dec.NetworkFlow(d), d.TCP)
		f, dir, created = e.flows.Lookup(src, dst, d, ts)
	}
	f.Packets[dir]++
	f.Bytes[dir] += uint64(ci.Length)
	if d.HasMAC && !f.HasMAC[dir] {
		f.MAC[dir], f.HasMAC[dir] = d.SrcMAC, true
	}
	if created {
		f.VLANs = d.VLANs
		if e.evidence != nil {
			e.evidence.flowStarted(f.key)
		}
		e.startFlow(f)
	}
	if e.evidence != nil {
		e.evidencePacket(f, data, ci, link)
	}

	switch d.Transport {
	case 6:
		// Under a flood, packets without payload of flows that never carried
		// any (SYN scans, half-open connections) stay out of reassembly, whose
		// connection table the flow table's cap does not bound.
		if !f.reassembling && len(d.Payload) == 0 && e.flows.Emergency() {
			return
		}
		f.reassembling = true
		if len(d.Payload) > 0 {
			e.flows.Established(f)
		}
		e.cur, e.curDir = f, dir
		e.ctx.ci = ci
		net := e.dec.NetworkFlow(d)
		e.asm.AssembleWithContext(net, d.TCP, &e.ctx)
		if st := f.stream; st != nil && st.reset && !st.resetDone {
			e.closeAfterReset(st, net, d.TCP)
		}
		e.cur = nil
	case 17:
		if f.datagram != nil && len(d.Payload) > 0 {
			e.datagram(f, dir, d.Payload, ts)
		}
	}
}

func (e *Engine) startFlow(f *Flow) {
	e.stats.FlowsCreated.Add(1)
	e.stats.FlowsActive.Add(1)
	if e.handler == nil {
		return
	}
	f.analyzer, f.datagram = e.handler.FlowStart(f)
}

func (e *Engine) datagram(f *Flow, dir app.Direction, payload []byte, ts time.Time) {
	defer e.recoverFlow(f)
	f.datagram.Datagram(dir, payload, ts)
}

// recoverFlow, deferred around every analyzer call, keeps a panic inside the flow
// that caused it: counted, and the flow's analyzers are dropped.
func (e *Engine) recoverFlow(f *Flow) {
	if r := recover(); r != nil {
		e.stats.AnalyzerPanics.Add(1)
		f.analyzer, f.datagram = nil, nil
	}
}

// recoverPacket keeps a panic outside any analyzer (a decoder or reassembly bug
// met on crafted input) from stopping the sensor: the packet is counted and
// dropped.
func (e *Engine) recoverPacket() {
	if r := recover(); r != nil {
		e.cur = nil
		e.stats.PacketPanics.Add(1)
	}
}

func (e *Engine) flowEnded(f *Flow, reason EndReason) {
	e.stats.FlowsActive.Add(-1)
	if reason == EndEvicted {
		e.stats.FlowsEvicted.Add(1)
	}
	if f.analyzer != nil {
		if f.stream != nil {
			f.stream.reportLostTails(f)
		}
		e.expire(f)
	}
	if e.evidence != nil {
		// An alert raised while the flow ended still gets its evidence.
		if e.evidence.npending.Load() > 0 {
			e.takeEvidenceRequests(e.now)
		}
		e.releaseEvidence(f)
	}
	if e.handler != nil {
		e.handler.FlowEnd(f, reason)
	}
}

func (e *Engine) expire(f *Flow) {
	defer e.recoverFlow(f)
	f.analyzer.Expire()
}

// Advance moves the capture clock to now and runs the timeouts due. Packet calls
// it; live capture also calls it on idle wall-clock ticks.
func (e *Engine) Advance(now time.Time) {
	if !now.After(e.now) {
		return
	}
	e.now = now
	if e.lastTick.IsZero() {
		e.lastTick = now
		return
	}
	if now.Sub(e.lastTick) < tickEvery {
		return
	}
	e.lastTick = now
	// Flush streams first so that data behind a lost segment reaches its analyzer
	// before an idle flow is expired.
	e.asm.FlushWithOptions(reassembly.FlushOptions{
		T:  now.Add(-e.cfg.Reassembly.GapWait),
		TC: now.Add(-e.flows.TCPIdle()),
	})
	e.flows.Expire(now)
	e.stats.EmergencyEntered.Store(e.flows.EmergencyEntered)
	e.stats.EmergencyLeft.Store(e.flows.EmergencyLeft)
	e.defrag.Expire(now)
	if e.progress != nil && now.Sub(e.lastProgress) >= progressEvery {
		e.lastProgress = now
		e.reportProgress()
	}
}

// reportProgress tells the handler of every live flow that carried bytes since
// its last report.
func (e *Engine) reportProgress() {
	for _, l := range e.flows.lists() {
		for f := l.head; f != nil; f = f.next {
			if f.Bytes != f.Reported {
				e.progress.FlowProgress(f)
				f.Reported = f.Bytes
			}
		}
	}
}

// Close flushes every stream and ends every flow (end of input or shutdown).
func (e *Engine) Close() {
	if e.evidence != nil && e.evidence.npending.Load() > 0 {
		e.takeEvidenceRequests(e.now)
	}
	e.asm.FlushAll()
	e.flows.Flush()
}
