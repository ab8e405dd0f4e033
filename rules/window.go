package rules

import "time"

// Key kinds: what a threshold or limit counts by.
const (
	BySrc  = "src"
	ByDst  = "dst"
	ByPair = "pair"
)

// windowKey is the address (or address pair) a counter follows. Lookups with a
// key built from existing strings do not allocate.
type windowKey struct{ a, b string }

func keyOf(by, src, dst string) windowKey {
	switch by {
	case ByDst:
		return windowKey{a: dst}
	case ByPair:
		return windowKey{a: src, b: dst}
	}
	return windowKey{a: src}
}

// counter is the state of one key: events in the current window, and events held
// back (not reported) since the last one that was.
type counter struct {
	start time.Time
	n     int
	held  int
}

// windows counts events per key in fixed capture-time windows that open with a
// key's first event. It holds at most max keys; window 0 means one window for ever.
// Not safe for concurrent use.
type windows struct {
	window    time.Duration
	max       int
	m         map[windowKey]counter
	lastSweep time.Time
	evicted   uint64
}

func newWindows(window time.Duration, max int) *windows {
	return &windows{window: window, max: max, m: make(map[windowKey]counter)}
}

// get returns the counter of k at ts, opening a new window when the last one is
// over. Held events survive the change of window: they wait for the next report.
func (w *windows) get(k windowKey, ts time.Time) counter {
	c, ok := w.m[k]
	if !ok || w.expired(c, ts) {
		c.start, c.n = ts, 0
	}
	return c
}

// put stores the counter of k, making room when k is new and the table is full.
func (w *windows) put(k windowKey, c counter, ts time.Time) {
	if _, ok := w.m[k]; !ok && len(w.m) >= w.max {
		w.makeRoom(ts)
	}
	w.m[k] = c
}

func (w *windows) expired(c counter, ts time.Time) bool {
	return w.window > 0 && ts.Sub(c.start) >= w.window
}

// makeRoom sweeps keys whose window is over and nothing held (at most once per
// window, so a flood of new keys does not sweep on every event); if that frees
// nothing, it evicts one key.
func (w *windows) makeRoom(ts time.Time) {
	if w.window > 0 && ts.Sub(w.lastSweep) >= w.window {
		w.lastSweep = ts
		for k, c := range w.m {
			if w.expired(c, ts) && c.held == 0 {
				delete(w.m, k)
			}
		}
	}
	for k := range w.m {
		if len(w.m) < w.max {
			break
		}
		delete(w.m, k)
		w.evicted++
	}
}

// heldTotal sums the events held back under every key.
func (w *windows) heldTotal() int {
	n := 0
	for _, c := range w.m {
		n += c.held
	}
	return n
}

// adopt takes the counters of old (an earlier load of the same entry), so that a
// reload keeps windows and held counts.
func (w *windows) adopt(old *windows) {
	if old == nil {
		return
	}
	for k, c := range old.m {
		if len(w.m) >= w.max {
			break
		}
		w.m[k] = c
	}
	w.lastSweep, w.evicted = old.lastSweep, old.evicted
}
