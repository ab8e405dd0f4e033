// Package anomaly holds what every protocol analyzer does with its anomalies:
// emit them, count the violations since the last well-formed unit, and give
// up on the flow, once, when there are too many.
package anomaly

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
)

// Policy names a package's anomalies and words its give-up anomaly; each
// package has one, shared by all its flows.
type Policy struct {
	App          string // app.Anomaly.App
	GaveUpReason string // the reason code of the give-up anomaly
	GaveUpDetail string // its detail: a format with one %d, the violations counted
}

// Reporter emits the anomalies of one flow. It lives inside the flow's
// analyzer, is used from the flow's goroutine only and reuses one
// app.Anomaly, so reporting allocates nothing beyond the caller's detail.
type Reporter struct {
	policy *Policy
	flow   *app.Flow
	emit   app.Emitter
	max    int
	anom   app.Anomaly

	Violations int  // since the last well-formed unit; the analyzer resets it
	GaveUp     bool // the rest of the flow is ignored
}

// NewReporter returns the reporter of one flow that gives up after max
// violations in a row.
func NewReporter(p *Policy, flow *app.Flow, emit app.Emitter, max int) Reporter {
	return Reporter{policy: p, flow: flow, emit: emit, max: max}
}

// Report emits one anomaly unless the flow was given up. A violation counts
// toward giving up; the one that reaches the cap is followed by the give-up
// anomaly.
func (r *Reporter) Report(dir app.Direction, ts time.Time, reason, detail string, violation bool) {
	if r.GaveUp {
		return
	}
	r.anom = app.Anomaly{App: r.policy.App, Reason: reason, Flow: r.flow, Dir: dir, TS: ts, Detail: detail}
	r.emit.Anomaly(&r.anom)
	if !violation {
		return
	}
	r.Violations++
	if r.Violations >= r.max {
		r.GaveUp = true
		r.anom = app.Anomaly{App: r.policy.App, Reason: r.policy.GaveUpReason, Flow: r.flow, Dir: dir, TS: ts, GaveUp: true,
			Detail: fmt.Sprintf(r.policy.GaveUpDetail, r.Violations)}
		r.emit.Anomaly(&r.anom)
	}
}
