package prototest

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"labwatch/protocols/app"
)

// Recorder is an app.Emitter that keeps deep copies of what it gets: an
// analyzer reuses its Message, Counts, Attrs and PHIFields between calls.
type Recorder struct {
	Msgs  []app.Message
	Anoms []app.Anomaly
}

var _ app.Emitter = (*Recorder)(nil)

// Message keeps a copy of m; an empty PHIFields is kept as nil.
func (r *Recorder) Message(m *app.Message) {
	c := *m
	c.Counts = maps.Clone(m.Counts)
	c.Attrs = maps.Clone(m.Attrs)
	c.PHIFields = append([]string(nil), m.PHIFields...)
	r.Msgs = append(r.Msgs, c)
}

// Anomaly keeps a copy of a.
func (r *Recorder) Anomaly(a *app.Anomaly) { r.Anoms = append(r.Anoms, *a) }

// Reasons lists the anomaly reasons in order.
func (r *Recorder) Reasons() []string {
	var out []string
	for _, a := range r.Anoms {
		out = append(out, a.Reason)
	}
	return out
}

// Types lists the message types in order.
func (r *Recorder) Types() []string {
	var out []string
	for _, m := range r.Msgs {
		out = append(out, m.Type)
	}
	return out
}

// TypeCounts counts the messages by type.
func (r *Recorder) TypeCounts() map[string]int {
	out := map[string]int{}
	for _, m := range r.Msgs {
		out[m.Type]++
	}
	return out
}

// GaveUp tells whether an anomaly said the analyzer gave up on the flow.
func (r *Recorder) GaveUp() bool {
	for _, a := range r.Anoms {
		if a.GaveUp {
			return true
		}
	}
	return false
}

// Dump renders every message then every anomaly with %+v, one a line, for
// leak checks and failure output.
func (r *Recorder) Dump() string {
	var b strings.Builder
	for _, m := range r.Msgs {
		fmt.Fprintf(&b, "%+v\n", m)
	}
	for _, a := range r.Anoms {
		fmt.Fprintf(&b, "%+v\n", a)
	}
	return b.String()
}

// NullEmitter drops everything but a count, for benchmarks and allocation
// tests.
type NullEmitter struct{ Msgs, Anoms int }

var _ app.Emitter = (*NullEmitter)(nil)

// Message counts m.
func (n *NullEmitter) Message(*app.Message) { n.Msgs++ }

// Anomaly counts a.
func (n *NullEmitter) Anomaly(*app.Anomaly) { n.Anoms++ }

// CheckAnomalies fails the test when an anomaly has a reason outside known,
// or when the give-up anomaly (reason gaveUp, the only one with GaveUp set)
// is not the last one.
func (r *Recorder) CheckAnomalies(t testing.TB, known map[string]bool, gaveUp string) {
	t.Helper()
	for i, a := range r.Anoms {
		if !known[a.Reason] {
			t.Fatalf("undocumented reason %q", a.Reason)
		}
		if a.GaveUp != (a.Reason == gaveUp) || a.GaveUp && i != len(r.Anoms)-1 {
			t.Fatalf("gave_up must be the last anomaly, once: %v", r.Reasons())
		}
	}
}

// CheckGaveUpOnce fails the test when more than one anomaly says the
// analyzer gave up.
func (r *Recorder) CheckGaveUpOnce(t testing.TB) {
	t.Helper()
	gaveUp := 0
	for _, a := range r.Anoms {
		if a.GaveUp {
			gaveUp++
		}
	}
	if gaveUp > 1 {
		t.Fatalf("gave up %d times", gaveUp)
	}
}
