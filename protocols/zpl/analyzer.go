package zpl

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
)

// Analyzer reads the print jobs of one TCP flow (usually to port 9100) and emits
// one app.Message per label format or EPL job, one per printer identification or
// status answer, and one app.Anomaly per violation.
//
// It implements app.Analyzer: calls for one flow come from one goroutine and no
// lock is taken. Field data is classified as it streams past and never kept
// beyond its own field (MaxFieldBytes); the Message, its Counts and Attrs maps
// and the PHIFields slice are reused, so steady printing allocates nothing per
// label.
type Analyzer struct {
	cfg   Config
	flow  *app.Flow
	emit  app.Emitter
	sides [2]side
	now   time.Time

	violations int // since the last well-formed label or answer
	gaveUp     bool

	msg    app.Message
	counts map[string]int
	attrs  map[string]string
	fields []string
	anom   app.Anomaly
}

var _ app.Analyzer = (*Analyzer)(nil)

// NewAnalyzer returns the analyzer of one flow. cfg may be nil (defaults); unset
// values take their defaults.
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit,
		counts: make(map[string]int, 8), attrs: make(map[string]string, 1)}
	for d := range a.sides {
		a.sides[d].an, a.sides[d].dir = a, uint8(d)
		a.sides[d].reset()
	}
	return a
}

// Data scans the next bytes of direction dir. data is not kept.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if a.gaveUp || dir > app.ServerToClient || len(data) == 0 {
		return
	}
	a.now = ts
	a.sides[dir].scan(data)
}

// Gap drops the label in progress on dir and resumes at the next ^XA or N line.
func (a *Analyzer) Gap(dir app.Direction, n int) {
	if a.gaveUp || dir > app.ServerToClient {
		return
	}
	detail := "bytes lost in capture; resuming at the next ^XA or N"
	if n >= 0 {
		detail = fmt.Sprintf("%d bytes lost in capture; resuming at the next ^XA or N", n)
	}
	s := &a.sides[dir]
	a.report(s, ReasonGapResync, detail, false)
	s.lbl.open = false
	s.frame, s.hsLeft = s.frame[:0], 0
	s.enterResync()
}

// End reports an unterminated label on dir.
func (a *Analyzer) End(dir app.Direction) {
	if a.gaveUp || dir > app.ServerToClient {
		return
	}
	a.finish(&a.sides[dir], "the stream closed")
}

// Expire reports unterminated labels; nothing follows.
func (a *Analyzer) Expire() {
	for d := range a.sides {
		if a.gaveUp {
			return
		}
		a.finish(&a.sides[d], "the flow expired")
	}
}

func (a *Analyzer) finish(s *side, why string) {
	if s.lbl.open && (s.lbl.lang == langZPL || s.lbl.fields > 0) {
		a.violation(s, ReasonUnterminated, "label still open when "+why)
	}
	s.lbl.open = false
}

// report emits an anomaly; a violation counts toward giving up on the flow.
func (a *Analyzer) report(s *side, reason, detail string, violation bool) {
	if a.gaveUp {
		return
	}
	a.anom = app.Anomaly{App: "zpl", Reason: reason, Flow: a.flow, Dir: app.Direction(s.dir), TS: a.now, Detail: detail}
	a.emit.Anomaly(&a.anom)
	if !violation {
		return
	}
	a.violations++
	if a.violations >= a.cfg.MaxViolations {
		a.gaveUp = true
		a.anom = app.Anomaly{App: "zpl", Reason: ReasonGaveUp, Flow: a.flow, Dir: app.Direction(s.dir), TS: a.now, GaveUp: true,
			Detail: fmt.Sprintf("%d violations without a well-formed label; the rest of the flow is ignored", a.violations)}
		a.emit.Anomaly(&a.anom)
	}
}

func (a *Analyzer) violation(s *side, reason, detail string) { a.report(s, reason, detail, true) }

// begin prepares the reused message for one emission.
func (a *Analyzer) begin(s *side, typ string) *app.Message {
	a.violations = 0
	clear(a.counts)
	clear(a.attrs)
	a.msg = app.Message{App: "zpl", Type: typ, Flow: a.flow, Dir: app.Direction(s.dir), TS: a.now, Counts: a.counts}
	return &a.msg
}

// emitLabel reports the open label of s and closes it.
func (a *Analyzer) emitLabel(s *side) {
	l := &s.lbl
	l.open = false
	l.bytes++ // the byte that closed it, not yet counted by scan
	if a.gaveUp {
		return
	}
	m := a.begin(s, "label")
	l.fillCounts(a.counts)
	a.attrs["language"] = l.language()
	m.Attrs, m.PHI, m.Bytes = a.attrs, l.phi, l.bytes
	a.fields = l.fieldNames(a.fields[:0])
	if len(a.fields) > 0 {
		m.PHIFields = a.fields
	}
	a.emit.Message(m)
}

// emitIdentity reports a ~HI answer: the printer's model and firmware.
func (a *Analyzer) emitIdentity(s *side, model, firmware []byte) {
	if a.gaveUp {
		return
	}
	m := a.begin(s, "host_identification")
	m.Device = identity(model, a.cfg.MaxIdentityBytes)
	m.Software = identity(firmware, a.cfg.MaxIdentityBytes)
	m.Bytes = len(s.frame) + 2
	a.emit.Message(m)
}

// emitStatus reports a ~HS answer's first string.
func (a *Analyzer) emitStatus(s *side, f []byte) {
	if a.gaveUp {
		return
	}
	m := a.begin(s, "host_status")
	statusFlags(f, a.counts)
	m.Bytes = len(f) + 2
	a.emit.Message(m)
}
