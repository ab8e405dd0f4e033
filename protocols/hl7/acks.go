package hl7

import (
	"fmt"
	"time"
)

// correlate records a message that expects an acknowledgement, or matches
// an acknowledgement with its message.
func (a *Analyzer) correlate(st *stream, ts time.Time) (latency time.Duration, resent bool) {
	s := &a.parser.s
	if s.IsAck() {
		if s.AckControlID == "" {
			return 0, false
		}
		lat, ok := a.corr.response(st.dir, s.AckControlID, s.AckCode, ts)
		if ok {
			return lat, false
		}
		req := &a.dirs[st.dir.Reverse()&1]
		if req.messages > 0 && !req.gapped {
			a.anomaly(st.dir, ts, ReasonAckUnmatched, fmt.Sprintf("%s acknowledges a control ID never seen on this flow", s.Key), false)
		}
		return 0, false
	}
	if s.ControlID == "" || s.Batch.Segment != "" {
		return 0, false // batch messages are acknowledged as a batch, if at all
	}
	resent, dropped := a.corr.request(st.dir, s.ControlID, s.Key, s.ExpectsAck(), ts)
	if dropped != nil && !a.tableFullReported {
		a.tableFullReported = true
		a.anomaly(st.dir, ts, ReasonAckTableFull, fmt.Sprintf("more than %d messages awaiting acknowledgement; oldest dropped", a.cfg.MaxPendingAcks), false)
	}
	return 0, resent
}

// expireAcks reports the messages whose acknowledgement did not come in
// time (all of them when the flow ends). It stays silent when the
// acknowledging direction is not visible (an asymmetric tap) or lost bytes.
func (a *Analyzer) expireAcks(now time.Time, all bool) {
	for {
		e, ok := a.corr.expired(now, all)
		if !ok {
			return
		}
		ackSide := &a.dirs[e.dir.Reverse()&1]
		if !(ackSide.seen || ackSide.finSeen) || ackSide.gapped {
			continue
		}
		detail := fmt.Sprintf("%s not acknowledged within %s", e.key, a.cfg.AckTimeout)
		if all && now.Sub(e.ts) < a.cfg.AckTimeout {
			detail = fmt.Sprintf("flow ended before %s was acknowledged", e.key)
		}
		a.anomaly(e.dir, now, ReasonAckMissing, detail, false)
	}
}
