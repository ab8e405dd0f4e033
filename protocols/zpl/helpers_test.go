package zpl

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"labwatch/protocols/app"
	"labwatch/testdata/gen"
)

// corpusDir holds the shared public samples; tests skip when it is absent.
const corpusDir = "../../../shared/corpus/zpl"

var (
	t0       = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	testFlow = &app.Flow{ID: 1, Transport: app.TCP}
)

// recorder is an app.Emitter keeping deep copies of what it gets.
type recorder struct {
	msgs  []app.Message
	anoms []app.Anomaly
}

func (r *recorder) Message(m *app.Message) {
	c := *m
	c.Counts = maps.Clone(m.Counts)
	c.Attrs = maps.Clone(m.Attrs)
	c.PHIFields = append([]string(nil), m.PHIFields...)
	r.msgs = append(r.msgs, c)
}

func (r *recorder) Anomaly(a *app.Anomaly) { r.anoms = append(r.anoms, *a) }

func (r *recorder) reasons() []string {
	var out []string
	for _, a := range r.anoms {
		out = append(out, a.Reason)
	}
	return out
}

func (r *recorder) types() []string {
	var out []string
	for _, m := range r.msgs {
		out = append(out, m.Type)
	}
	return out
}

// dump prints everything the package emitted, for leak checks.
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

type nullEmitter struct{ msgs, anoms int }

func (n *nullEmitter) Message(*app.Message) { n.msgs++ }
func (n *nullEmitter) Anomaly(*app.Anomaly) { n.anoms++ }

// run feeds one client stream whole and expires the flow.
func run(cfg *Config, c2s, s2c string) *recorder {
	r := &recorder{}
	a := NewAnalyzer(testFlow, r, cfg)
	a.Data(app.ClientToServer, []byte(c2s), t0)
	a.Data(app.ServerToClient, []byte(s2c), t0)
	a.Expire()
	return r
}

// runSplit feeds the streams in random pieces, interleaved.
func runSplit(cfg *Config, c2s, s2c []byte, rng *rand.Rand) *recorder {
	r := &recorder{}
	a := NewAnalyzer(testFlow, r, cfg)
	bufs := [2][]byte{c2s, s2c}
	for len(bufs[0])+len(bufs[1]) > 0 {
		d := rng.IntN(2)
		if len(bufs[d]) == 0 {
			d ^= 1
		}
		n := 1 + rng.IntN(min(len(bufs[d]), 64))
		a.Data(app.Direction(d), bufs[d][:n], t0)
		bufs[d] = bufs[d][n:]
	}
	a.Expire()
	return r
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// demoStreams returns the ZPL connections of the generated demo capture, with
// their payloads (lost bytes included, as LostRanges say), and the truth.
func demoStreams(t testing.TB) ([]gen.StreamTruth, gen.Truth) {
	t.Helper()
	o := gen.Demo()
	o.KeepPayload = true
	_, truth, err := gen.Capture(o)
	if err != nil {
		t.Fatal(err)
	}
	var out []gen.StreamTruth
	for _, st := range truth.Streams {
		if st.App == "zpl" {
			out = append(out, st)
		}
	}
	return out, truth
}

// replay feeds one generated stream to a fresh analyzer, turning lost ranges
// into Gap calls as the capture layer would.
func replay(st *gen.StreamTruth, emit app.Emitter) {
	a := NewAnalyzer(testFlow, emit, nil)
	for d := range st.Dirs {
		dt := &st.Dirs[d]
		off := int64(0)
		for _, lr := range dt.LostRanges {
			a.Data(app.Direction(d), dt.Payload[off:lr.Offset], st.Start)
			a.Gap(app.Direction(d), int(lr.Len))
			off = lr.Offset + lr.Len
		}
		a.Data(app.Direction(d), dt.Payload[off:], st.Start)
		a.End(app.Direction(d))
	}
	a.Expire()
}
