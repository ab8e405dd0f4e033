package detect

import "time"

// recentHours is how many closed hours of observed volumes each device keeps
// for the report's charts (runtime only, never saved): two days.
const recentHours = 48

// observed is one closed hour of a device: its index (hours since the epoch)
// and its volumes, in float32 to keep the ring near 1.5 KB per device.
type observed struct {
	hour   int64
	counts [numMetrics]float32
}

// hourRing keeps the last recentHours active hours of a device.
type hourRing struct {
	h    [recentHours]observed
	n    int // filled slots
	next int // slot written next
}

func (r *hourRing) add(hour int64, c *hourCounts) {
	o := &r.h[r.next]
	o.hour = hour
	for m := range c {
		o.counts[m] = float32(c[m])
	}
	r.next = (r.next + 1) % recentHours
	r.n = min(r.n+1, recentHours)
}

// ObservedHour is one closed hour of one device's volumes, in the order of
// Metrics: what the report draws against the learned profile.
type ObservedHour struct {
	Start   time.Time           `json:"start"`
	DayType string              `json:"day_type"`
	Hour    int                 `json:"hour"` // local hour of day
	Seen    [numMetrics]float64 `json:"seen"`
}

// RecentHours returns the last closed active hours of every device that has
// any, oldest first, by address.
func (e *Engine) RecentHours() map[string][]ObservedHour {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string][]ObservedHour)
	for a, d := range e.m.devices {
		r := &d.recent
		if r.n == 0 {
			continue
		}
		hs := make([]ObservedHour, 0, r.n)
		for i := 0; i < r.n; i++ {
			o := &r.h[(r.next-r.n+i+recentHours)%recentHours]
			dt, hr := slotOf(o.hour, e.loc)
			oh := ObservedHour{Start: hourStart(o.hour), DayType: dayTypeNames[dt], Hour: hr}
			for m := range o.counts {
				oh.Seen[m] = float64(o.counts[m])
			}
			hs = append(hs, oh)
		}
		out[a.String()] = hs
	}
	return out
}
