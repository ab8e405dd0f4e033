package hl7

import (
	"labwatch/protocols/app"

	"testing"

	"github.com/stretchr/testify/assert"
)

// step is one mllpChunk in a compact form for table tests.
type step struct {
	payload string
	start   bool
	end     bool
	broken  bool
	noCR    bool
	stray   int
	n       int
}

func runFramer(f *mllpFramer, data []byte) []step {
	var out []step
	for len(data) > 0 {
		c := f.next(data)
		out = append(out, step{string(c.payload), c.start, c.end, c.broken, c.noCR, c.stray, c.n})
		data = data[c.n:]
	}
	return out
}

func TestMLLPFramer(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		want   []step
	}{
		{"one frame",
			// 0b 'A' 1c 0d
			[]string{"\x0bA\x1c\r"},
			[]step{{"A", true, true, false, false, 0, 4}}},
		{"two frames in one chunk",
			[]string{"\x0bA\x1c\r\x0bB\x1c\r"},
			[]step{{"A", true, true, false, false, 0, 4}, {"B", true, true, false, false, 0, 4}}},
		{"frame split in three",
			[]string{"\x0bAB", "CD", "E\x1c\r"},
			[]step{{"AB", true, false, false, false, 0, 3}, {"CD", false, false, false, false, 0, 2}, {"E", false, true, false, false, 0, 3}}},
		{"end block at a chunk end, CR in the next",
			[]string{"\x0bA\x1c", "\r\x0bB\x1c\r"},
			[]step{{"A", true, true, false, false, 0, 3}, {"", false, false, false, false, 0, 1}, {"B", true, true, false, false, 0, 4}}},
		{"end block at a chunk end, no CR after",
			[]string{"\x0bA\x1c", "\x0bB\x1c\r"},
			[]step{{"A", true, true, false, false, 0, 3}, {"B", true, true, false, true, 0, 4}}},
		{"end block without CR",
			[]string{"\x0bA\x1cX\x0bB\x1c\r"},
			[]step{{"A", true, true, false, true, 0, 3}, {"B", true, true, false, false, 1, 5}}},
		{"padding and stray bytes between frames",
			[]string{"\r\n \x00junk\x0bA\x1c\r"},
			[]step{{"A", true, true, false, false, 4, 12}}},
		{"only stray bytes",
			[]string{"no frame here"},
			[]step{{"", false, false, false, false, 11, 13}}},
		{"start block inside a frame",
			[]string{"\x0bA\x0bB\x1c\r"},
			[]step{{"A", true, false, true, false, 0, 2}, {"B", true, true, false, false, 0, 4}}},
		{"empty frame",
			[]string{"\x0b\x1c\r"},
			[]step{{"", true, true, false, false, 0, 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f mllpFramer
			var got []step
			for _, c := range tc.chunks {
				got = append(got, runFramer(&f, []byte(c))...)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestMLLPFramerDoesNotAllocate locks in a framer that neither copies nor
// allocates on in-order chunks.
func TestMLLPFramerDoesNotAllocate(t *testing.T) {
	stream := mllp(string(readTestdata(t, "oru_r01_cbc.hl7")), string(readTestdata(t, "ack_aa.hl7")))
	var f mllpFramer
	allocs := testing.AllocsPerRun(100, func() {
		for data := stream; len(data) > 0; {
			n := min(len(data), 97)
			chunk := data[:n]
			for len(chunk) > 0 {
				chunk = chunk[f.next(chunk).n:]
			}
			data = data[n:]
		}
	})
	assert.Zero(t, allocs)
}

// TestAnalyzerSteadyStateAllocs: once its buffer has grown, the analyzer
// costs one allocation per message (the summary's string block), whether
// the message arrives whole or split across Data calls.
func TestAnalyzerSteadyStateAllocs(t *testing.T) {
	frame := mllp(string(readTestdata(t, "oru_r01_cbc.hl7")))
	a := NewAnalyzer(testFlow, discard{}, nil)
	half := len(frame) / 2
	run := func() {
		a.Data(0, frame, testT0)
		a.Data(0, frame[:half], testT0)
		a.Data(0, frame[half:], testT0)
	}
	run()
	allocs := testing.AllocsPerRun(100, run)
	assert.LessOrEqual(t, allocs, 2.0, "two messages per run")
}

type discard struct{}

func (discard) Message(*app.Message) {}
func (discard) Anomaly(*app.Anomaly) {}
