package hl7

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
)

// Analyzer follows one TCP flow that carries HL7, in both directions. It
// implements app.Analyzer.
//
// It keeps no copy of the stream: a message wholly inside one Data call is
// parsed in place, and only a message that spans calls is copied into the
// direction's buffer (bounded by Config.MaxMessageBytes; large buffers are
// released once the message is done). One Summary, one app.Message, its
// Counts map and its PHIFields slice are reused for every message, so the
// steady-state cost per message is the one string block ParseMessage
// allocates. Calls for one flow come from one goroutine: there are no locks.
type Analyzer struct {
	flow *app.Flow
	emit app.Emitter
	cfg  Config

	dirs [2]stream
	corr correlator

	confirmed         bool // a well-formed message was seen
	gaveUp            bool
	violations        int // consecutive, reset by each well-formed message
	first             heldAnomaly
	unconfirmedBytes  int
	tableFullReported bool
	lastTS            time.Time

	// parser is borrowed from parsers for the duration of one message and holds
	// its Summary (parser.s); between messages it is nil, so an idle flow does
	// not carry the parser's field tables (several KB) with it.
	parser    *parser
	msg       app.Message
	counts    map[string]int
	countKeys []string // the keys of counts set for the last message
	phiNames  []string
	u16       []byte // UTF-16 transcoding buffer
	stats     Stats
}

// heldAnomaly is the first violation of a flow not yet confirmed as HL7; it
// is reported only if the flow never becomes HL7 (one event, not many).
type heldAnomaly struct {
	reason, detail string
	dir            app.Direction
	ts             time.Time
}

// Stats are the analyzer's counters, for metrics.
type Stats struct {
	Messages   int   // messages emitted
	Anomalies  int   // anomalies emitted
	Suppressed int   // anomalies counted but not emitted (per-flow cap, unconfirmed flow)
	Bytes      int64 // bytes delivered
	Skipped    int64 // bytes skipped: before the first message, after a gap, after giving up
	Truncated  int   // messages cut by MaxMessageBytes or MaxSegments
	Confirmed  bool
	GaveUp     bool
}

// NewAnalyzer returns an analyzer for one flow. A nil cfg means
// DefaultConfig; zero settings take their default.
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{flow: flow, emit: emit, cfg: withDefaults(cfg)}
	a.corr = newCorrelator(a.cfg.MaxPendingAcks, a.cfg.AckTimeout)
	a.counts = make(map[string]int, 16)
	for d := range a.dirs {
		a.dirs[d] = stream{dir: app.Direction(d), lineStart: true}
	}
	return a
}

// Stats returns the counters so far.
func (a *Analyzer) Stats() Stats {
	s := a.stats
	s.Confirmed, s.GaveUp = a.confirmed, a.gaveUp
	return s
}

// Data delivers the next in-order bytes of one direction.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	a.stats.Bytes += int64(len(data))
	if a.gaveUp {
		a.stats.Skipped += int64(len(data))
		return
	}
	if len(data) == 0 {
		return
	}
	st := &a.dirs[dir&1]
	st.seen, st.ended = true, false // data after a FIN is still flushed at Expire
	st.ts = ts
	if ts.After(a.lastTS) {
		a.lastTS = ts
	}
	if !a.confirmed {
		a.unconfirmedBytes += len(data)
		if a.unconfirmedBytes > a.cfg.MaxUnconfirmedBytes {
			a.giveUp(st.dir, ts, fmt.Sprintf("no well-formed HL7 message in the first %d bytes", a.cfg.MaxUnconfirmedBytes))
			return
		}
	}
	a.expireAcks(ts, false)
	// Without MLLP a message ends only where the next one starts; a reply
	// from the peer shows that the pending one was complete.
	a.dirs[dir.Reverse()&1].replySeen(a, ts)
	st.data(a, data, ts)
	// A message over the cap is reported when it crosses it: one that never
	// ends (a 100 MB "segment", an endless stream) would otherwise be
	// reported only when the connection closes, if ever.
	if st.open && st.over && !st.overReported && a.confirmed {
		st.overReported = true
		a.anomaly(st.dir, ts, ReasonMsgTooLarge, a.tooLargeDetail(), false)
	}
}

// Gap reports that bytes of one direction were lost: the message in
// progress is dropped and parsing resumes at the next message start.
func (a *Analyzer) Gap(dir app.Direction, n int) {
	if a.gaveUp {
		return
	}
	st := &a.dirs[dir&1]
	partial := st.open
	st.gap()
	a.corr.forget(st.dir)
	if !a.confirmed {
		return
	}
	lost := "an unknown number of bytes lost"
	if n >= 0 {
		lost = fmt.Sprintf("%d bytes lost", n)
	}
	if partial {
		lost += "; partial message discarded"
	}
	a.anomaly(st.dir, st.ts, ReasonGapResync, lost, false)
}

// End reports that one direction was closed: what is pending is flushed.
func (a *Analyzer) End(dir app.Direction) {
	if a.gaveUp {
		return
	}
	st := &a.dirs[dir&1]
	st.finSeen = true
	st.end(a)
}

// Expire flushes both directions, reports acknowledgements that never came
// and, for a flow never confirmed as HL7, its first violation.
func (a *Analyzer) Expire() {
	if a.gaveUp {
		return
	}
	for d := range a.dirs {
		a.dirs[d].end(a)
	}
	a.expireAcks(a.lastTS, true)
	if !a.confirmed && a.violations > 0 && !a.gaveUp {
		h := a.first
		detail := fmt.Sprintf("%s (flow never confirmed as HL7; %d violations)", h.detail, a.violations)
		a.stats.Suppressed-- // it was counted as suppressed when held
		a.anomaly(h.dir, h.ts, h.reason, detail, false)
	}
	for d := range a.dirs {
		a.dirs[d].release()
	}
	a.u16 = nil
}
