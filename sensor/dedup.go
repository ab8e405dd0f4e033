package sensor

import (
	"time"

	"labwatch/rules"
)

// maxDedupKeys bounds the deduplication table; past it the oldest window is
// forgotten (an alert may then repeat early, never be lost).
const maxDedupKeys = 10000

// dedup folds repeats of one rule finding — same rule, device and peer — within a
// window of capture time (detect's dedup_window) into one alert: the first is
// delivered, the repeats are counted, and the next delivery after the window
// carries their number in Count. Without it a rule on "HL7 to an untrusted host"
// would alert on every message of the connection. It is asked before the rule
// engine builds an alert, so a folded match costs no allocation.
type dedup struct {
	window time.Duration
	max    int
	seen   map[dedupKey]*dedupEntry
	folded uint64 // repeats folded so far, for metrics
}

type dedupKey struct {
	rule, device, peer string
	port               int
}

type dedupEntry struct {
	since time.Time
	held  int
}

func newDedup(window time.Duration, max int) dedup {
	return dedup{window: window, max: max, seen: map[dedupKey]*dedupEntry{}}
}

// admit implements rules.Set.Admit.
func (d *dedup) admit(rule string, ev *rules.Event) (bool, int) {
	if d.window <= 0 {
		return true, 0
	}
	k := dedupKey{rule: rule, device: ev.SrcIP, peer: ev.DstIP, port: ev.DstPort}
	e := d.seen[k]
	if e != nil && !ev.TS.Before(e.since) && ev.TS.Sub(e.since) < d.window {
		e.held++
		d.folded++
		return false, 0
	}
	if e == nil {
		if len(d.seen) >= d.max {
			d.forgetOldest()
		}
		e = &dedupEntry{}
		d.seen[k] = e
	}
	held := e.held
	e.since, e.held = ev.TS, 0
	return true, held
}

func (d *dedup) forgetOldest() {
	var oldest dedupKey
	var at time.Time
	first := true
	for k, e := range d.seen {
		if first || e.since.Before(at) {
			oldest, at, first = k, e.since, false
		}
	}
	delete(d.seen, oldest)
}
