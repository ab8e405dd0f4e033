package sensor

import (
	"strconv"
	"time"

	"labwatch/detect"
)

// maxDedupKeys bounds the deduplication table; past it the oldest window is
// forgotten (an alert may then repeat early, never be lost).
const maxDedupKeys = 10000

// dedup folds repeats of one rule finding — same rule, device and peer — within
// a window of capture time (detect's dedup_window) into one alert: the first is delivered, the repeats
// are counted, and the next delivery after the window carries their number in
// Count. Without it a rule on "HL7 to an untrusted host" would alert on every
// message of the connection.
type dedup struct {
	window time.Duration
	max    int
	seen   map[string]*dedupEntry
	folded uint64 // repeats folded so far, for metrics
}

type dedupEntry struct {
	since time.Time
	held  int
}

func newDedup(window time.Duration, max int) dedup {
	return dedup{window: window, max: max, seen: map[string]*dedupEntry{}}
}

func dedupKey(a *detect.Alert) string {
	return a.Type + "|" + a.RuleID + "|" + a.Device + "|" + a.DstIP + "|" + strconv.Itoa(int(a.DstPort))
}

// pass tells whether a is delivered; a repeat within the window is folded.
func (d *dedup) pass(a *detect.Alert) bool {
	if d.window <= 0 {
		return true
	}
	k := dedupKey(a)
	e := d.seen[k]
	if e != nil && a.TS.Sub(e.since) < d.window && !a.TS.Before(e.since) {
		e.held += max(a.Count, 1)
		d.folded += uint64(max(a.Count, 1))
		return false
	}
	if e == nil {
		if len(d.seen) >= d.max {
			d.forgetOldest()
		}
		e = &dedupEntry{}
		d.seen[k] = e
	}
	if e.held > 0 {
		a.Count = max(a.Count, 1) + e.held
	}
	e.since, e.held = a.TS, 0
	return true
}

func (d *dedup) forgetOldest() {
	var oldest string
	var at time.Time
	for k, e := range d.seen {
		if oldest == "" || e.since.Before(at) {
			oldest, at = k, e.since
		}
	}
	delete(d.seen, oldest)
}
