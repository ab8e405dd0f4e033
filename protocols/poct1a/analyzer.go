package poct1a

import (
	"errors"
	"fmt"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
)

// Analyzer parses the POCT1-A2 traffic of one TCP flow, both directions, and
// emits one app.Message per well-formed XML message and one app.Anomaly per
// violation.
//
// It implements app.Analyzer: calls for one flow come from one goroutine and
// no lock is taken. Each direction's framer copies the message being read
// into a buffer it reuses (MaxMessageBytes); the XML of a complete message is
// then decoded with encoding/xml, which allocates per token — acceptable for
// POCT traffic (a few small messages per test) and bounded by the caps.
type Analyzer struct {
	cfg   Config
	flow  *app.Flow
	emit  app.Emitter
	sides [2]side
	corr  correlator

	// The device identity a HEL.R01 declared, and the direction it sends in.
	device    Identity
	deviceDir app.Direction
	hasDevice bool

	now time.Time
	rep anomaly.Reporter // anomalies, violations since the last well-formed unit, giving up

	msg app.Message
}

var _ app.Analyzer = (*Analyzer)(nil)

// side is one direction.
type side struct {
	dir    app.Direction
	fr     framer
	closed bool
}

// reporting names the package's anomalies and words its give-up anomaly.
var reporting = anomaly.Policy{App: "poct1a", GaveUpReason: ReasonGaveUp,
	GaveUpDetail: "%d violations without a well-formed message; the rest of the flow is ignored"}

// NewAnalyzer returns the analyzer of one flow. cfg may be nil (defaults);
// unset values take their defaults.
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit}
	a.rep = anomaly.NewReporter(&reporting, flow, emit, a.cfg.MaxViolations)
	a.corr.limit = a.cfg.MaxPendingAcks
	for d := range a.sides {
		s := &a.sides[d]
		s.dir = app.Direction(d)
		s.fr.maxBytes, s.fr.maxDepth, s.fr.maxResync = a.cfg.MaxMessageBytes, a.cfg.MaxDepth, a.cfg.MaxResyncBytes
		// A capture may start inside a message: bytes before the first
		// message start are passed over, not reported.
		s.fr.st = sResync
	}
	return a
}

// Data parses the next bytes of direction dir. data is not kept.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if a.rep.GaveUp || dir > app.ServerToClient || len(data) == 0 {
		return
	}
	a.now = ts
	s := &a.sides[dir]
	s.closed = false
	a.feed(s, data)
}

// feed runs the framer over b and handles what it reports.
func (a *Analyzer) feed(s *side, b []byte) {
	for len(b) > 0 && !a.rep.GaveUp {
		n, ev := s.fr.step(b)
		b = b[n:]
		if s.fr.candReady {
			// A message start found while resynchronising: read it again
			// from its '<'.
			var held [len(s.fr.cand)]byte
			k := copy(held[:], s.fr.cand[:s.fr.candN])
			s.fr.candN, s.fr.candReady = 0, false
			a.feed(s, held[:k])
		}
		a.handle(s, ev)
	}
}

// handle acts on one framer event.
func (a *Analyzer) handle(s *side, ev frameEvent) {
	f := &s.fr
	switch ev {
	case evComplete:
		if f.dtd {
			a.report(s.dir, ReasonDTD, "message with a document type declaration refused", true)
			return
		}
		a.message(s, f.buf)
	case evTooLarge:
		a.report(s.dir, ReasonMessageTooLarge, fmt.Sprintf("message past the cap of %d bytes; skipped", a.cfg.MaxMessageBytes), true)
	case evTooDeep:
		a.report(s.dir, ReasonTooDeep, fmt.Sprintf("elements nested more than %d deep; message skipped", a.cfg.MaxDepth), true)
	case evMalformed:
		a.report(s.dir, ReasonBadXML, "markup that is not XML inside a message; skipped to the next message", true)
	case evGarbage:
		a.report(s.dir, ReasonFramingError, "bytes between messages that start none", true)
	case evNoStart:
		a.report(s.dir, ReasonFramingError, fmt.Sprintf("no message start in %d bytes", a.cfg.MaxResyncBytes), true)
	}
}

// message decodes and reports one complete message.
func (a *Analyzer) message(s *side, raw []byte) {
	sum, err := Parse(raw, &a.cfg)
	if err != nil {
		a.report(s.dir, reasonOf(err), err.Error(), true)
		return
	}
	if sum.Type == "HEL.R01" {
		a.device, a.deviceDir, a.hasDevice = sum.Device, s.dir, true
	}
	var latency time.Duration
	if sum.Type == "ACK.R01" {
		latency, _ = a.corr.response(s.dir, sum.AckControlID, a.now)
	} else {
		a.corr.request(s.dir, sum.ControlID, a.now)
	}
	if sum.ControlID == "" {
		a.report(s.dir, ReasonMissingHeader, fmt.Sprintf("%s without HDR.control_id", sum.Type), false)
	}
	a.rep.Violations = 0
	a.fill(s, &sum, len(raw), latency)
	a.emit.Message(&a.msg)
}

// reasonOf maps Parse's errors to reason codes.
func reasonOf(err error) string {
	switch {
	case errors.Is(err, ErrNotPOCT):
		return ReasonNotPOCT
	case errors.Is(err, ErrDTD):
		return ReasonDTD
	case errors.Is(err, ErrTooDeep):
		return ReasonTooDeep
	case errors.Is(err, ErrTooManyTokens):
		return ReasonTooManyTokens
	case errors.Is(err, ErrTooLarge):
		return ReasonMessageTooLarge
	}
	return ReasonBadXML
}

// Gap drops the partial message of dir and resynchronises at the next
// message start.
func (a *Analyzer) Gap(dir app.Direction, n int) {
	if a.rep.GaveUp || dir > app.ServerToClient {
		return
	}
	detail := "bytes lost in capture; resuming at the next message"
	if n >= 0 {
		detail = fmt.Sprintf("%d bytes lost in capture; resuming at the next message", n)
	}
	a.report(dir, ReasonGapResync, detail, false)
	f := &a.sides[dir].fr
	f.st, f.candN, f.candReady, f.skipped = sResync, 0, false, 0
}

// End reports that dir was closed: a message still open there is truncated.
func (a *Analyzer) End(dir app.Direction) {
	if a.rep.GaveUp || dir > app.ServerToClient {
		return
	}
	a.finish(&a.sides[dir], "the stream closed")
}

// Expire reports messages left open on either side; nothing follows.
func (a *Analyzer) Expire() {
	for d := range a.sides {
		if a.rep.GaveUp {
			return
		}
		a.finish(&a.sides[d], "the flow expired")
	}
}

func (a *Analyzer) finish(s *side, why string) {
	if s.closed {
		return
	}
	s.closed = true
	f := &s.fr
	if f.inMessage() {
		a.report(s.dir, ReasonTruncatedMessage, fmt.Sprintf("%s inside a message after %d bytes", why, len(f.buf)), false)
	}
	f.st, f.candN, f.candReady, f.skipped = sResync, 0, false, 0
}

// report emits an anomaly; a violation counts toward giving up on the flow.
func (a *Analyzer) report(dir app.Direction, reason, detail string, violation bool) {
	a.rep.Report(dir, a.now, reason, detail, violation)
}
