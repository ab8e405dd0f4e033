package rules

import (
	"fmt"
	"slices"

	"github.com/expr-lang/expr/vm"

	"labwatch/detect"
)

// Set is a compiled rule set. Rules are compiled once at load; Match runs them on
// one event with a reused VM, skipping the rules whose App conditions exclude the
// event, so an event that matches nothing costs no allocation. Threshold counters
// live in the Set and follow capture time. A Set is not safe for concurrent use:
// the detection stage owns it.
type Set struct {
	// Admit, when set, is asked before an alert is built for a match: false means
	// the caller folds this match into a later alert (deduplication), so no alert
	// is built; folded is added to the Count of an admitted alert.
	Admit func(rule string, ev *Event) (ok bool, folded int)

	rules  []*compiledRule
	byApp  map[string][]*compiledRule // rules that can match an app, in file order
	anyApp []*compiledRule            // rules for events of an app no rule names
	vm     vm.VM
}

// newSet indexes compiled rules by the apps they can match.
func newSet(rules []*compiledRule) *Set {
	s := &Set{rules: rules, byApp: make(map[string][]*compiledRule)}
	for _, r := range rules {
		for _, a := range r.apps {
			s.byApp[a] = nil
		}
	}
	for _, r := range rules {
		if r.apps == nil {
			s.anyApp = append(s.anyApp, r)
		}
		for a := range s.byApp {
			if r.apps == nil || slices.Contains(r.apps, a) {
				s.byApp[a] = append(s.byApp[a], r)
			}
		}
	}
	return s
}

// Len is the number of rules.
func (s *Set) Len() int { return len(s.rules) }

// Rules lists the rules in file order.
func (s *Set) Rules() []Rule {
	out := make([]Rule, len(s.rules))
	for i, r := range s.rules {
		out[i] = r.Rule
	}
	return out
}

// Match runs every rule that can match ev and returns the alerts it raises (nil
// when none). A rule with a threshold alerts when its Count-th match for a key
// falls within its window; later matches in that window are held and counted into
// the key's next alert. An expression that fails at run time counts as no match
// (Stats.EvalErrors).
func (s *Set) Match(ev *Event) []*detect.Alert {
	rules, ok := s.byApp[ev.App]
	if !ok {
		rules = s.anyApp
	}
	if len(rules) == 0 {
		return nil
	}
	env := any(*ev) // a value, not a pointer: expr then reads fields without copying each one
	var out []*detect.Alert
	for _, r := range rules {
		res, err := s.vm.Run(r.program, env)
		if err != nil {
			r.evalErrors++
			continue
		}
		if matched, _ := res.(bool); !matched {
			continue
		}
		r.matches++
		count := 1
		if r.Threshold != nil {
			if count = r.count(ev); count == 0 {
				continue
			}
		}
		if s.Admit != nil {
			ok, folded := s.Admit(r.ID, ev)
			if !ok {
				continue
			}
			count += folded
		}
		r.alerts++
		out = append(out, r.alert(ev, count))
	}
	return out
}

// count records a match of a threshold rule and returns the number of matches the
// alert reports, or 0 when no alert is due.
func (r *compiledRule) count(ev *Event) int {
	k := keyOf(r.Threshold.By, ev.SrcIP, ev.DstIP)
	c := r.counts.get(k, ev.TS)
	c.n++
	n := 0
	switch {
	case c.n == r.Threshold.Count:
		n, c.held = c.n+c.held, 0
	case c.n > r.Threshold.Count:
		c.held++
	}
	r.counts.put(k, c, ev.TS)
	return n
}

// Stats are the counters of a Set, for metrics.
type Stats struct {
	Matches    uint64            `json:"matches"`     // expression matches, before thresholds
	Alerts     uint64            `json:"alerts"`      // alerts raised
	EvalErrors uint64            `json:"eval_errors"` // run-time expression errors
	Held       uint64            `json:"held"`        // threshold matches waiting for their key's next alert
	Evicted    uint64            `json:"evicted"`     // threshold keys evicted at MaxKeys ("state_evicted")
	ByRule     map[string]uint64 `json:"by_rule"`     // alerts by rule id
}

// Stats returns the counters so far.
func (s *Set) Stats() Stats {
	st := Stats{ByRule: make(map[string]uint64, len(s.rules))}
	for _, r := range s.rules {
		st.Matches += r.matches
		st.Alerts += r.alerts
		st.EvalErrors += r.evalErrors
		st.ByRule[r.ID] = r.alerts
		if r.counts != nil {
			st.Held += uint64(r.counts.heldTotal())
			st.Evicted += r.counts.evicted
		}
	}
	return st
}

// Adopt takes over the threshold counters and statistics of old for every rule
// that kept its id, expression and threshold, so that a reload (SIGHUP) loses no
// state. Call it on the new Set before its first Match; old must not be used after.
func (s *Set) Adopt(old *Set) {
	if old == nil {
		return
	}
	prev := make(map[string]*compiledRule, len(old.rules))
	for _, r := range old.rules {
		prev[r.ID] = r
	}
	for _, r := range s.rules {
		o := prev[r.ID]
		if o == nil || o.Expr != r.Expr || !sameThreshold(o.Threshold, r.Threshold) {
			continue
		}
		r.matches, r.alerts, r.evalErrors = o.matches, o.alerts, o.evalErrors
		if r.counts != nil {
			r.counts.adopt(o.counts)
		}
	}
}

func sameThreshold(a, b *Threshold) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Combine returns one Set of the rules of sets, in order; a rule whose id is
// already present replaces the earlier one, so a user file can redefine a default
// rule. It fails when the result would exceed MaxRules. The sets given must not be
// used afterwards.
func Combine(sets ...*Set) (*Set, error) {
	var rules []*compiledRule
	index := make(map[string]int)
	for _, s := range sets {
		if s == nil {
			continue
		}
		for _, r := range s.rules {
			if i, ok := index[r.ID]; ok {
				rules[i] = r
				continue
			}
			if len(rules) >= MaxRules {
				return nil, fmt.Errorf("rules: more than %d rules in all", MaxRules)
			}
			index[r.ID] = len(rules)
			rules = append(rules, r)
		}
	}
	return newSet(rules), nil
}
