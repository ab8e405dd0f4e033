package rules

import (
	"net/netip"
	"time"

	"labwatch/detect"
)

// Reasons under which the Suppressor counts the alerts it holds back.
const (
	ReasonSuppress  = "suppress"  // a suppress entry matched
	ReasonLimit     = "limit"     // over a limit entry's count in its window
	ReasonThreshold = "threshold" // not the N-th of a threshold entry
)

// matcher selects alerts by type, rule id, device and peer; empty parts match all.
type matcher struct {
	typ, ruleID  string
	device, peer netip.Prefix // invalid: any
}

// matches tells whether a is selected. The device is the alert's Device (or its
// source when Device is not an address) and the peer the other end.
func (m *matcher) matches(a *detect.Alert) bool {
	if m.typ != "" && m.typ != a.Type || m.ruleID != "" && m.ruleID != a.RuleID {
		return false
	}
	if !m.device.IsValid() && !m.peer.IsValid() {
		return true
	}
	device, err := netip.ParseAddr(a.Device)
	if err != nil {
		device, _ = netip.ParseAddr(a.SrcIP)
	}
	peerIP := a.DstIP
	if a.DstIP == a.Device {
		peerIP = a.SrcIP
	}
	peer, _ := netip.ParseAddr(peerIP)
	return inPrefix(m.device, device) && inPrefix(m.peer, peer)
}

func inPrefix(p netip.Prefix, a netip.Addr) bool {
	return !p.IsValid() || a.IsValid() && p.Contains(a.Unmap())
}

// rateEntry is a limit (at most count alerts per window per key) or a threshold
// (one alert in every count per key, within window when one is given).
type rateEntry struct {
	matcher
	every  bool // threshold rather than limit
	count  int
	window time.Duration
	by     string
	counts *windows
}

func (e *rateEntry) reason() string {
	if e.every {
		return ReasonThreshold
	}
	return ReasonLimit
}

// same tells whether o is the same entry from an earlier load.
func (e *rateEntry) same(o *rateEntry) bool {
	return e.matcher == o.matcher && e.every == o.every && e.count == o.count &&
		e.window == o.window && e.by == o.by
}

// Suppressor applies suppress, limit and threshold entries to every alert, in the
// spirit of Suricata's threshold.config. Nothing is dropped silently: a held alert
// is counted under its reason in Stats, and counted into the Count of the next
// alert the same limit or threshold entry lets through for the same key. Windows
// follow the alerts' capture time. A nil *Suppressor lets everything through. Not
// safe for concurrent use.
type Suppressor struct {
	suppress []matcher
	rates    []*rateEntry
	held     map[string]uint64
}

// Filter tells whether a should be emitted. Every suppress entry is tried first;
// then the first limit or threshold entry that selects a decides. When a is
// emitted after others were held for its entry and key, a.Count becomes its own
// count plus theirs.
func (s *Suppressor) Filter(a *detect.Alert) bool {
	if s == nil {
		return true
	}
	weight := max(a.Count, 1)
	for i := range s.suppress {
		if s.suppress[i].matches(a) {
			s.held[ReasonSuppress] += uint64(weight)
			return false
		}
	}
	for _, e := range s.rates {
		if !e.matches(a) {
			continue
		}
		k := keyOf(e.by, a.SrcIP, a.DstIP)
		c := e.counts.get(k, a.TS)
		c.n++
		pass := c.n <= e.count
		if e.every {
			pass = c.n%e.count == 0
		}
		if pass {
			if c.held > 0 {
				a.Count = weight + c.held
				c.held = 0
			}
		} else {
			c.held += weight
			s.held[e.reason()] += uint64(weight)
		}
		e.counts.put(k, c, a.TS)
		return pass
	}
	return true
}

// SuppressionStats are the Suppressor's counters, for metrics.
type SuppressionStats struct {
	Held    map[string]uint64 `json:"held"`    // alerts held back, by reason (suppress, limit, threshold)
	Pending uint64            `json:"pending"` // held by limits and thresholds, not yet folded into an alert
	Evicted uint64            `json:"evicted"` // keys evicted at MaxKeys ("state_evicted")
}

// Stats returns the counters so far.
func (s *Suppressor) Stats() SuppressionStats {
	st := SuppressionStats{Held: map[string]uint64{}}
	if s == nil {
		return st
	}
	for k, v := range s.held {
		st.Held[k] = v
	}
	for _, e := range s.rates {
		st.Pending += uint64(e.counts.heldTotal())
		st.Evicted += e.counts.evicted
	}
	return st
}

// Len is the number of entries.
func (s *Suppressor) Len() int {
	if s == nil {
		return 0
	}
	return len(s.suppress) + len(s.rates)
}

// Adopt takes over the counters of old for every entry that is unchanged, so that
// a reload (SIGHUP) keeps windows and held counts. Call it before the first Filter;
// old must not be used afterwards.
func (s *Suppressor) Adopt(old *Suppressor) {
	if s == nil || old == nil {
		return
	}
	for k, v := range old.held {
		s.held[k] += v
	}
	used := make([]bool, len(old.rates))
	for _, e := range s.rates {
		for j, o := range old.rates {
			if !used[j] && e.same(o) {
				used[j] = true
				e.counts.adopt(o.counts)
				break
			}
		}
	}
}
