package astm

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
)

// Analyzer parses the ASTM traffic of one TCP flow, both directions, and emits one
// app.Message per well-formed LIS2-A2 message and one app.Anomaly per violation.
//
// It implements app.Analyzer: calls for one flow come from one goroutine and no
// lock is taken. Each direction keeps at most one frame (MaxFrameBytes) and one
// record (MaxRecordBytes) across calls, in buffers it reuses; the app.Message and
// its Counts map are reused too, so a device that repeats its H record costs no
// allocation per message in steady state.
type Analyzer struct {
	cfg   Config
	flow  *app.Flow
	emit  app.Emitter
	sides [2]side

	now  time.Time // capture time of the call being handled
	last time.Time // capture time of the latest data on the flow

	rep anomaly.Reporter // anomalies, violations since the last well-formed unit, giving up

	msg    app.Message
	counts map[string]int
	fields []string
}

var _ app.Analyzer = (*Analyzer)(nil)

// reporting names the package's anomalies and words its give-up anomaly.
var reporting = anomaly.Policy{App: "astm", GaveUpReason: ReasonGaveUp,
	GaveUpDetail: "%d violations without a well-formed message; the rest of the flow is ignored"}

// NewAnalyzer returns the analyzer of one flow. cfg may be nil (defaults); unset
// values take their defaults.
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit, counts: make(map[string]int, 32)}
	a.rep = anomaly.NewReporter(&reporting, flow, emit, a.cfg.MaxViolations)
	for d := range a.sides {
		s := &a.sides[d]
		s.an, s.dir, s.frameStart = a, app.Direction(d), -1
		s.asm.max = a.cfg.MaxRecordBytes
		s.b = newBuilder(s, &a.cfg, false)
	}
	return a
}

// Data parses the next bytes of direction dir. data is not kept.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if a.rep.GaveUp || dir > app.ServerToClient || len(data) == 0 {
		return
	}
	a.now = ts
	a.checkTimers(ts)
	if ts.After(a.last) {
		a.last = ts
	}
	s := &a.sides[dir]
	s.closed = false
	s.scan(data)
}

// Gap drops what was in flight on dir and resynchronises at the next frame,
// control byte or H line.
func (a *Analyzer) Gap(dir app.Direction, n int) {
	if a.rep.GaveUp || dir > app.ServerToClient {
		return
	}
	detail := "bytes lost in capture; resuming at the next frame or header"
	if n >= 0 {
		detail = fmt.Sprintf("%d bytes lost in capture; resuming at the next frame or header", n)
	}
	a.report(dir, ReasonGapResync, detail, false)
	s := &a.sides[dir]
	s.b.flush()
	s.abort()
	s.st = scanResync
}

// End reports that dir was closed: a message still open there is aborted.
func (a *Analyzer) End(dir app.Direction) {
	if a.rep.GaveUp || dir > app.ServerToClient {
		return
	}
	s := &a.sides[dir]
	s.finish("the stream closed")
	s.closed = true
}

// Expire flushes both directions; nothing follows.
func (a *Analyzer) Expire() {
	for d := range a.sides {
		if a.rep.GaveUp {
			return
		}
		if s := &a.sides[d]; !s.closed {
			s.finish("the flow expired")
			s.closed = true
		}
	}
}

// checkTimers applies the capture-time timeouts before new data is handled: a
// transmission silent past FrameTimeout, or a message open past SessionTimeout,
// is abandoned. A complete message still waiting for EOT is handed over.
func (a *Analyzer) checkTimers(ts time.Time) {
	if ts.IsZero() || a.last.IsZero() {
		return
	}
	silent := ts.Sub(a.last) > a.cfg.FrameTimeout
	for d := range a.sides {
		s := &a.sides[d]
		if silent {
			s.b.flush()
		}
		switch {
		case silent && s.inFlight():
			a.report(s.dir, ReasonTimeout, fmt.Sprintf("silence of more than %s inside a transmission", a.cfg.FrameTimeout), true)
			s.abort()
		case silent:
			s.link = linkIdle // a finished transmission whose EOT went unseen
		case s.b.open() && !s.b.m.start.IsZero() && ts.Sub(s.b.m.start) > a.cfg.SessionTimeout:
			a.report(s.dir, ReasonTimeout, fmt.Sprintf("message open for more than %s", a.cfg.SessionTimeout), true)
			s.abort()
		}
	}
}

// inFlight tells whether a frame, record or message is open: what a silence
// would cut.
func (s *side) inFlight() bool {
	return s.b.open() || s.asm.pending() || s.st == scanFrame || s.st == scanTrailer || s.st == scanLine
}

// report emits an anomaly; a violation counts toward giving up on the flow.
func (a *Analyzer) report(dir app.Direction, reason, detail string, violation bool) {
	a.rep.Report(dir, a.now, reason, detail, violation)
}

// emitMessage reports one complete message of side s.
func (a *Analyzer) emitMessage(s *side, m *msgState) {
	if a.rep.GaveUp {
		return
	}
	a.rep.Violations = 0
	h := &m.header
	clear(a.counts)
	fillCounts(a.counts, m, &s.ll)
	s.ll = lowCounts{}
	a.fields = phiFieldNames(a.fields[:0], m.phiMask)
	a.msg = app.Message{
		App: "astm", Type: m.kind(), Flow: a.flow, Dir: s.dir, TS: m.end,
		Sender: h.Sender, Receiver: h.Receiver, Device: h.Device, Software: h.Software,
		Version: h.Version, ControlID: h.ControlID,
		Results: m.counts[idxR], Orders: m.counts[idxO], Queries: m.counts[idxQ],
		PHI: m.phi, Counts: a.counts, Bytes: m.bytes,
	}
	if len(a.fields) > 0 {
		a.msg.PHIFields = a.fields
	}
	a.emit.Message(&a.msg)
}
