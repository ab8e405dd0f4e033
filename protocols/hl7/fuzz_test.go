package hl7

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"labwatch/protocols/app"
)

// fuzzSeeds adds our samples, the corpus (when present) and a few framed
// streams to a fuzz target.
func fuzzSeeds(f *testing.F, add func([]byte)) {
	files, _ := filepath.Glob("testdata/*.hl7")
	if entries, err := os.ReadDir(corpusDir); err == nil {
		for _, e := range entries {
			files = append(files, filepath.Join(corpusDir, e.Name()))
		}
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil || len(b) > 64<<10 {
			continue // the 1 MB sample slows every iteration down
		}
		add(b)
		add(mllp(string(b)))
	}
	add(mllp(oru("M1"), ack("AA", "M1")))
	add([]byte("\x0bMSH|^~\\&|A\x0bMSH|\x1c\x1c\r\x0b\x1c"))
	add([]byte("FHS|^~\\&|\rBHS|^~\\&|\rMSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5\rMSA|AA|1\rBTS|1\rFTS|1\r"))
}

// FuzzParseMessage: the parser never panics, always reports a length inside
// its input, and keeps every copied value within the cap.
func FuzzParseMessage(f *testing.F) {
	fuzzSeeds(f, func(b []byte) { f.Add(b) })
	cfg := &Config{MaxSegments: 50, MaxValueBytes: 16, MaxMessageBytes: 1 << 16}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseMessage(data, cfg)
		if s.Bytes < 0 || s.Bytes > len(data) {
			t.Fatalf("Bytes %d outside input of %d", s.Bytes, len(data))
		}
		if err == nil && (len(s.Key) < 3 || s.Bytes == 0) {
			t.Fatalf("well-formed message without key or length: %+v", s)
		}
		for _, v := range []string{s.Sender, s.ControlID, s.Version, s.Device, s.Software} {
			if len(v) > 2*16+1 {
				t.Fatalf("value of %d bytes passed the cap", len(v))
			}
		}
		if err != nil && ReasonOf(err) == "" {
			t.Fatalf("error without reason: %v", err)
		}
		Probe(data)
	})
}

// FuzzMLLPFramer: cut anywhere, the framer consumes every byte, makes
// progress on each step and finds the same payload bytes.
func FuzzMLLPFramer(f *testing.F) {
	fuzzSeeds(f, func(b []byte) { f.Add(b, uint64(len(b))) })
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		whole := framerPayload(data, []int{len(data)})
		rng := rand.New(rand.NewPCG(seed, 1))
		if got := framerPayload(data, randomChunks(rng, len(data))); got != whole {
			t.Fatalf("payload depends on chunking: %q vs %q", got, whole)
		}
	})
}

func framerPayload(data []byte, chunks []int) string {
	var f mllpFramer
	var out []byte
	for _, n := range chunks {
		chunk := data[:min(n, len(data))]
		data = data[len(chunk):]
		for len(chunk) > 0 {
			c := f.next(chunk)
			// A step consumes at least one byte, except one that closes a
			// frame at a start block, which changes state instead.
			if c.n < 0 || c.n > len(chunk) || c.n == 0 && !c.broken {
				panic("framer made no progress or overran")
			}
			out = append(out, c.payload...)
			if c.end || c.broken {
				out = append(out, '|')
			}
			chunk = chunk[c.n:]
		}
	}
	return string(out)
}

// FuzzAnalyzer feeds both directions with random segment boundaries, gaps
// and ends. Nothing may panic, buffers stay under the cap, and one direction
// alone gives the same events however it is cut.
func FuzzAnalyzer(f *testing.F) {
	fuzzSeeds(f, func(b []byte) { f.Add(b, uint64(len(b))) })
	cfg := &Config{MaxMessageBytes: 4096, MaxSegments: 100, MaxPendingAcks: 8, MaxAnomaliesPerFlow: 1000}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 2))

		one := func(chunks []int) string {
			a, r := newTestAnalyzer(cfg)
			feed(a, app.ClientToServer, data, chunks)
			a.Expire()
			return r.Dump()
		}
		if whole, cut := one(nil), one(randomChunks(rng, len(data))); whole != cut {
			t.Fatalf("events depend on segment boundaries:\n%s\nvs\n%s", whole, cut)
		}

		a, _ := newTestAnalyzer(cfg)
		ts := testT0
		for rest := data; len(rest) > 0; {
			n := min(len(rest), 1+rng.IntN(300))
			dir := app.Direction(rng.IntN(2))
			switch rng.IntN(40) {
			case 0:
				a.Gap(dir, rng.IntN(100)-1)
			case 1:
				a.End(dir)
			}
			ts = ts.Add(time.Duration(rng.IntN(40)) * time.Second)
			a.Data(dir, rest[:n], ts)
			rest = rest[n:]
			for d := range a.dirs {
				if len(a.dirs[d].buf) > cfg.MaxMessageBytes {
					t.Fatalf("buffer of %d bytes passed the cap", len(a.dirs[d].buf))
				}
			}
		}
		a.Expire()
	})
}
