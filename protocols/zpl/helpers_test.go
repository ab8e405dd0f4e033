package zpl

import (
	"math/rand/v2"
	"testing"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
	"labwatch/testdata/gen"
)

// corpusDir holds the shared public samples; tests skip when it is absent.
const corpusDir = "../../../shared/corpus/zpl"

var (
	t0       = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	testFlow = &app.Flow{ID: 1, Transport: app.TCP}
)

// run feeds one client stream whole and expires the flow.
func run(cfg *Config, c2s, s2c string) *prototest.Recorder {
	r := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, r, cfg)
	a.Data(app.ClientToServer, []byte(c2s), t0)
	a.Data(app.ServerToClient, []byte(s2c), t0)
	a.Expire()
	return r
}

// runSplit feeds the streams in random pieces, interleaved.
func runSplit(cfg *Config, c2s, s2c []byte, rng *rand.Rand) *prototest.Recorder {
	r := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, r, cfg)
	size := func(rest int) int { return 1 + rng.IntN(min(rest, 64)) }
	prototest.Interleave(rng, [2][]byte{c2s, s2c}, size, func(d app.Direction, seg []byte) { a.Data(d, seg, t0) })
	a.Expire()
	return r
}

func readFile(t testing.TB, path string) []byte { return prototest.ReadFile(t, path) }

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
