package hl7

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
)

// anomaly emits one anomaly, within the per-flow budget. force bypasses the
// budget (gave_up is always reported, once).
func (a *Analyzer) anomaly(dir app.Direction, ts time.Time, reason, detail string, gaveUp bool) {
	if !gaveUp && a.stats.Anomalies >= a.cfg.MaxAnomaliesPerFlow {
		if a.stats.Anomalies == a.cfg.MaxAnomaliesPerFlow {
			a.stats.Anomalies++ // the marker below counts too, and only once
			a.emit.Anomaly(&app.Anomaly{App: "hl7", Reason: ReasonAnomalyLimit, Flow: a.flow, Dir: dir, TS: ts,
				Detail: fmt.Sprintf("more than %d anomalies on this flow; later ones are only counted", a.cfg.MaxAnomaliesPerFlow)})
		}
		a.stats.Suppressed++
		return
	}
	a.stats.Anomalies++
	a.emit.Anomaly(&app.Anomaly{App: "hl7", Reason: reason, Flow: a.flow, Dir: dir, TS: ts, Detail: detail, GaveUp: gaveUp})
}

// violation counts a protocol violation. On a flow not yet confirmed as HL7
// only the first is kept (reported at Expire if the flow never confirms);
// after MaxViolations in a row the flow is given up.
func (a *Analyzer) violation(st *stream, ts time.Time, reason, detail string) {
	a.violations++
	if a.confirmed {
		a.anomaly(st.dir, ts, reason, detail, false)
	} else {
		if a.violations == 1 {
			a.first = heldAnomaly{reason: reason, detail: detail, dir: st.dir, ts: ts}
		}
		a.stats.Suppressed++
	}
	if a.violations >= a.cfg.MaxViolations {
		first := ""
		if !a.confirmed {
			first = fmt.Sprintf("no well-formed HL7 message; first: %s", a.first.reason)
		} else {
			first = fmt.Sprintf("last: %s", reason)
		}
		a.giveUp(st.dir, ts, fmt.Sprintf("%d violations in a row (%s)", a.violations, first))
	}
}

// giveUp stops parsing the flow and reports it once.
func (a *Analyzer) giveUp(dir app.Direction, ts time.Time, detail string) {
	if a.gaveUp {
		return
	}
	a.gaveUp = true
	a.anomaly(dir, ts, ReasonGaveUp, detail, true)
	for d := range a.dirs {
		a.dirs[d].release()
	}
	a.u16 = nil
	a.corr = newCorrelator(a.cfg.MaxPendingAcks, a.cfg.AckTimeout)
}

// outside accounts for bytes between frames or records.
func (a *Analyzer) outside(st *stream, b []byte) {
	a.outsideN(st, countVisible(b), len(b))
}

// outsideN accounts for skipped bytes, visible of them not padding. They are
// stray only on a confirmed flow outside a resynchronisation; before that
// they are the tail of a message the capture joined in the middle of.
func (a *Analyzer) outsideN(st *stream, visible, skipped int) {
	if a.confirmed && !st.skipping {
		st.stray += visible
		return
	}
	a.stats.Skipped += int64(skipped)
}

// reportStray reports the stray bytes seen since the last message, once.
func (a *Analyzer) reportStray(st *stream, ts time.Time) {
	if st.stray == 0 {
		return
	}
	n := st.stray
	st.stray = 0
	a.violation(st, ts, ReasonStrayBytes, fmt.Sprintf("%d stray bytes outside messages", n))
}
