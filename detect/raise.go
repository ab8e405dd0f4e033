package detect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// dedupKey is what makes two alerts the same finding. Peer is whatever makes
// findings of one type and device distinct: a peer host, a service, a metric.
type dedupKey struct{ Type, Device, Peer string }

// dedupEntry remembers an alert sent within the dedup window and how often it
// came back.
type dedupEntry struct {
	alert   *Alert
	until   time.Time
	repeats int
	last    time.Time
}

// raise finishes an alert (sensor, id, count) and queues it, unless the same
// type, device and peer was reported within the dedup window (then it is
// counted) or the alert rate cap is reached (then it is dropped and counted).
func (e *Engine) raise(a *Alert, peer string) {
	a.Sensor = e.cfg.Sensor
	key := dedupKey{a.Type, a.Device, peer}
	if d := e.dedup[key]; d != nil && !a.TS.After(d.until) {
		// The window slides: an ongoing episode (a silence, a storm) stays one
		// alert until it has been quiet for a whole window.
		d.repeats++
		d.last = a.TS
		d.until = a.TS.Add(e.cfg.DedupWindow)
		return
	}
	if len(e.dedup) >= e.cfg.MaxDedup {
		e.dropped["dedup_over_cap"]++
	} else {
		e.dedup[key] = &dedupEntry{alert: a, until: a.TS.Add(e.cfg.DedupWindow)}
	}
	a.Count = 1
	e.queue(a, peer)
}

// queue applies the alert rate cap, gives the alert its id and queues it.
func (e *Engine) queue(a *Alert, peer string) {
	if minute := a.TS.Unix() / 60; minute != e.rateMin {
		e.rateMin, e.rateCount = minute, 0
	}
	if e.rateCount >= e.cfg.MaxAlertsPerMin {
		e.dropped["alerts_rate_limited"]++
		return
	}
	e.rateCount++
	e.seq++
	a.ID = alertID(a, peer, e.seq)
	e.alerts[a.Type]++
	e.pending = append(e.pending, a)
}

// expireDedup ends dedup windows that are over (all of them when all is set)
// and reports each finding that repeated, once, with its count.
func (e *Engine) expireDedup(all bool) {
	var done []dedupKey
	for k, d := range e.dedup {
		if all || !e.now.Before(d.until) {
			done = append(done, k)
		}
	}
	// Map order is random; alerts must come out in the same order every run.
	slices.SortFunc(done, func(a, b dedupKey) int {
		if a.Type != b.Type {
			return cmpString(a.Type, b.Type)
		}
		if a.Device != b.Device {
			return cmpString(a.Device, b.Device)
		}
		return cmpString(a.Peer, b.Peer)
	})
	for _, k := range done {
		d := e.dedup[k]
		delete(e.dedup, k)
		if d.repeats == 0 {
			continue
		}
		r := *d.alert
		r.TS = d.last
		r.Count = d.repeats + 1
		r.Details = maps.Clone(d.alert.Details)
		if r.Details == nil {
			r.Details = map[string]any{}
		}
		r.Details["first_ts"] = d.alert.TS
		r.Details["repeats"] = d.repeats
		r.Summary = fmt.Sprintf("%d more alerts like this from %s to %s; the first: %s", d.repeats,
			d.alert.TS.Format(time.RFC3339), d.last.Format(time.RFC3339), d.alert.Summary)
		e.queue(&r, k.Peer)
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// alertID is a stable id: the same input replayed gives the same ids.
func alertID(a *Alert, peer string, seq uint64) string {
	h := sha256.New()
	for _, s := range []string{a.Sensor, a.Type, a.Device, peer, a.TS.UTC().Format(time.RFC3339Nano), strconv.FormatUint(seq, 10)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
