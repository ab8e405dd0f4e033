package dicom

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
)

// Analyzer parses the DICOM upper layer of one TCP flow, both directions, and
// emits one app.Message per well-formed PDU and one app.Anomaly per violation.
//
// It implements app.Analyzer: calls for one flow come from one goroutine and no
// lock is taken. P-DATA-TF bodies are streamed: PDV and element headers are
// gathered in fixed arrays and values skipped by count, so a 100 MiB image
// costs no copy. Only association PDUs (MaxControlPDUBytes) and command sets
// (MaxCommandBytes) are buffered, in per-side buffers that are reused. The
// app.Message, its Counts and Attrs maps and its PHIFields slice are reused
// too: a steady P-DATA transfer allocates nothing per PDU.
type Analyzer struct {
	cfg   Config
	flow  *app.Flow
	emit  app.Emitter
	sides [2]side
	ctx   contextTable
	corr  correlator

	// The association in force: AE titles and which side requested it.
	callingAE, calledAE string
	requester           app.Direction

	now       time.Time
	rep       anomaly.Reporter // anomalies, violations since the last well-formed unit, giving up
	encrypted bool             // the flow starts with a TLS record: nothing to parse

	msg    app.Message
	counts map[string]int
	attrs  map[string]string
	fields []string
}

var _ app.Analyzer = (*Analyzer)(nil)

// reporting names the package's anomalies and words its give-up anomaly.
var reporting = anomaly.Policy{App: "dicom", GaveUpReason: ReasonGaveUp,
	GaveUpDetail: "%d violations without a well-formed PDU; the rest of the flow is ignored"}

// NewAnalyzer returns the analyzer of one flow. cfg may be nil (defaults); unset
// values take their defaults.
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit,
		counts: make(map[string]int, 16), attrs: make(map[string]string, 16)}
	a.rep = anomaly.NewReporter(&reporting, flow, emit, a.cfg.MaxViolations)
	for d := range a.sides {
		a.sides[d] = side{an: a, dir: app.Direction(d)}
	}
	return a
}

// Data parses the next bytes of direction dir. data is not kept.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if a.rep.GaveUp || a.encrypted || dir > app.ServerToClient || len(data) == 0 {
		return
	}
	a.now = ts
	s := &a.sides[dir]
	if !s.started {
		s.started = true
		if looksTLS(data) {
			// DICOM TLS (port 2762, PS3.15 annex B): mark the flow so no PHI
			// finding is ever drawn from it, and stay quiet.
			a.encrypted = true
			if a.flow != nil {
				a.flow.Encrypted = true
			}
			return
		}
	}
	s.closed = false
	s.consume(data)
}

// looksTLS matches a TLS handshake record header: content type 22, version 3.x.
func looksTLS(b []byte) bool {
	return len(b) >= 3 && b[0] == 0x16 && b[1] == 0x03 && b[2] <= 0x04
}

// Gap drops the partial PDU of dir and resynchronises at the next plausible
// PDU header.
func (a *Analyzer) Gap(dir app.Direction, n int) {
	if a.rep.GaveUp || a.encrypted || dir > app.ServerToClient {
		return
	}
	detail := "bytes lost in capture; resuming at the next PDU header"
	if n >= 0 {
		detail = fmt.Sprintf("%d bytes lost in capture; resuming at the next PDU header", n)
	}
	a.report(dir, ReasonGapResync, detail, false)
	s := &a.sides[dir]
	inCommand := len(s.cmd) > 0 || s.cmdDrop
	s.resetTo(stResync)
	// What follows the gap may continue a command or data set whose start was
	// lost: a command in progress is dropped up to its last fragment, and the
	// data set in progress (or the next, when the gap fell between two) is
	// skipped rather than scanned from an arbitrary offset.
	s.cmdDrop = inCommand
	s.ds = dsScanner{active: true, dead: true}
}

// End reports that dir was closed: a PDU still open there is truncated.
func (a *Analyzer) End(dir app.Direction) {
	if a.rep.GaveUp || a.encrypted || dir > app.ServerToClient {
		return
	}
	a.sides[dir].finish("the stream closed")
}

// Expire reports the PDUs left open on either side; nothing follows.
func (a *Analyzer) Expire() {
	for d := range a.sides {
		if a.rep.GaveUp || a.encrypted {
			return
		}
		a.sides[d].finish("the flow expired")
	}
}

// report emits an anomaly; a violation counts toward giving up on the flow.
func (a *Analyzer) report(dir app.Direction, reason, detail string, violation bool) {
	a.rep.Report(dir, a.now, reason, detail, violation)
}
