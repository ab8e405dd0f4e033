package phiscan

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"labwatch/protocols/app"
)

var (
	t0       = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	testFlow = &app.Flow{ID: 1, Transport: app.TCP}
)

type recorder struct {
	msgs  []app.Message
	anoms []app.Anomaly
}

func (r *recorder) Message(m *app.Message) {
	c := *m
	c.Counts = maps.Clone(m.Counts)
	c.PHIFields = append([]string(nil), m.PHIFields...)
	r.msgs = append(r.msgs, c)
}

func (r *recorder) Anomaly(a *app.Anomaly) { r.anoms = append(r.anoms, *a) }

func (r *recorder) dump() string {
	var b strings.Builder
	for _, m := range r.msgs {
		fmt.Fprintf(&b, "%+v\n", m)
	}
	for _, a := range r.anoms {
		fmt.Fprintf(&b, "%+v\n", a)
	}
	return b.String()
}

type nullEmitter struct{}

func (nullEmitter) Message(*app.Message) {}
func (nullEmitter) Anomaly(*app.Anomaly) {}

// scanStream feeds data to a fresh analyzer in pieces of size step (0: whole)
// and returns what it emitted.
func scanStream(data []byte, step int, cfg *Config) *recorder {
	r := &recorder{}
	a := NewAnalyzer(testFlow, r, cfg)
	if step <= 0 {
		step = len(data) + 1
	}
	for off := 0; off < len(data); off += step {
		a.Data(app.ClientToServer, data[off:min(off+step, len(data))], t0)
	}
	a.Expire()
	return r
}
