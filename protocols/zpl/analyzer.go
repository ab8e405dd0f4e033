package zpl

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
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

	rep anomaly.Reporter // anomalies, violations since the last well-formed unit, giving up

	msg    app.Message
	counts map[string]int
	attrs  map[string]string
	fields []string
}

var _ app.Analyzer = (*Analyzer)(nil)

// reporting names the package's anomalies and words its give-up anomaly.
var reporting = anomaly.Policy{App: "zpl", GaveUpReason: ReasonGaveUp,
	GaveUpDetail: "%d violations without a well-formed label; the rest of the flow is ignored"}

// NewAnalyzer returns the analyzer of one flow. cfg may be nil (defaults); unset
// values take their defaults.
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit,
		counts: make(map[string]int, 8), attrs: make(map[string]string, 1)}
	a.rep = anomaly.NewReporter(&reporting, flow, emit, a.cfg.MaxViolations)
	for d := range a.sides {
		a.sides[d].an, a.sides[d].dir = a, uint8(d)
		a.sides[d].reset()
	}
	return a
}

// Data scans the next bytes of direction dir. data is not kept.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if a.rep.GaveUp || dir > app.ServerToClient || len(data) == 0 {
		return
	}
	a.now = ts
	a.sides[dir].scan(data)
}

// Gap drops the label in progress on dir and resumes at the next ^XA or N line.
func (a *Analyzer) Gap(dir app.Direction, n int) {
	if a.rep.GaveUp || dir > app.ServerToClient {
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
	if a.rep.GaveUp || dir > app.ServerToClient {
		return
	}
	a.finish(&a.sides[dir], "the stream closed")
}

// Expire reports unterminated labels; nothing follows.
func (a *Analyzer) Expire() {
	for d := range a.sides {
		if a.rep.GaveUp {
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
	a.rep.Report(app.Direction(s.dir), a.now, reason, detail, violation)
}

func (a *Analyzer) violation(s *side, reason, detail string) { a.report(s, reason, detail, true) }

// begin prepares the reused message for one emission.
func (a *Analyzer) begin(s *side, typ string) *app.Message {
	a.rep.Violations = 0
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
	if a.rep.GaveUp {
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
	if a.rep.GaveUp {
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
	if a.rep.GaveUp {
		return
	}
	m := a.begin(s, "host_status")
	statusFlags(f, a.counts)
	m.Bytes = len(f) + 2
	a.emit.Message(m)
}
