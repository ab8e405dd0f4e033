package sensor

import (
	"sync/atomic"
	"time"
)

// captureClock tracks the capture times seen on one input path: the first and
// last packet (for the summary, read from other goroutines, hence atomics) and
// when detection was last ticked.
type captureClock struct {
	first, last atomic.Int64 // unix nanoseconds; 0 before the first packet
	lastTick    time.Time
}

// see records a packet's time and tells whether detection is due a tick (once
// per second of capture time).
func (c *captureClock) see(ts time.Time) (tick bool) {
	ns := ts.UnixNano()
	if f := c.first.Load(); f == 0 || ns < f {
		c.first.Store(ns)
	}
	if ns > c.last.Load() {
		c.last.Store(ns)
	}
	if ts.Sub(c.lastTick) >= time.Second {
		c.lastTick = ts
		return true
	}
	return false
}

// span returns the earliest first and latest last time over clocks (zero
// times when none saw a packet).
func span(clocks ...*captureClock) (first, last time.Time) {
	var f, l int64
	for _, c := range clocks {
		if v := c.first.Load(); v != 0 && (f == 0 || v < f) {
			f = v
		}
		l = max(l, c.last.Load())
	}
	if f != 0 {
		first = time.Unix(0, f).UTC()
	}
	if l != 0 {
		last = time.Unix(0, l).UTC()
	}
	return first, last
}
