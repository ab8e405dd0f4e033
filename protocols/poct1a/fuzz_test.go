package poct1a

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"labwatch/protocols/app"
)

var knownReasons = map[string]bool{
	ReasonBadXML: true, ReasonNotPOCT: true, ReasonDTD: true, ReasonTooDeep: true,
	ReasonTooManyTokens: true, ReasonMessageTooLarge: true, ReasonFramingError: true,
	ReasonMissingHeader: true, ReasonTruncatedMessage: true, ReasonGapResync: true, ReasonGaveUp: true,
}

// fuzzSeeds are the conversations (both directions) and each sample alone.
func fuzzSeeds(f *testing.F) [][2][]byte {
	var seeds [][2][]byte
	for _, c := range conversations(f) {
		var pair [2][]byte
		for _, ch := range c.chunks {
			pair[ch.dir] = append(pair[ch.dir], ch.data...)
		}
		seeds = append(seeds, pair)
	}
	files, _ := filepath.Glob("testdata/messages/*.xml")
	for _, p := range files {
		seeds = append(seeds, [2][]byte{sample(f, filepath.Base(p)), nil})
	}
	return seeds
}

// FuzzAnalyzer feeds both directions in random interleaved segments with
// occasional gaps, under small caps, and checks the output's invariants;
// feeding one direction whole and in pieces must give the same output.
func FuzzAnalyzer(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s[0], s[1], uint64(i))
	}
	f.Fuzz(func(t *testing.T, c2sData, s2cData []byte, seed uint64) {
		cfg := &Config{MaxMessageBytes: 2048, MaxDepth: 8, MaxTokens: 300, MaxAttrs: 4,
			MaxValueBytes: 12, MaxResyncBytes: 300, MaxPendingAcks: 3, MaxViolations: 6}
		rng := rand.New(rand.NewPCG(seed, seed>>32))
		rec := &recorder{}
		a := NewAnalyzer(newTestFlow(), rec, cfg)
		streams := [2][]byte{c2sData, s2cData}
		for len(streams[0])+len(streams[1]) > 0 {
			d := app.Direction(rng.IntN(2))
			if len(streams[d]) == 0 {
				d = d.Reverse()
			}
			n := min(1+rng.IntN(64), len(streams[d]))
			if rng.IntN(50) == 0 {
				a.Gap(d, rng.IntN(10)-1)
			}
			a.Data(d, streams[d][:n], t0)
			streams[d] = streams[d][n:]
		}
		a.Expire()
		checkInvariants(t, rec, cfg)

		whole := play([]chunk{{c2s, c2sData, 0}}, cfg)
		var pieces []chunk
		for b := c2sData; len(b) > 0; {
			n := min(1+rng.IntN(32), len(b))
			pieces = append(pieces, chunk{c2s, b[:n], 0})
			b = b[n:]
		}
		cut := play(pieces, cfg)
		checkInvariants(t, whole, cfg)
		if len(whole.msgs) != len(cut.msgs) || !slices.Equal(whole.reasons(), cut.reasons()) {
			t.Fatalf("segmentation changed the output: %v/%v whole, %v/%v in pieces",
				whole.types(), whole.reasons(), cut.types(), cut.reasons())
		}
	})
}

func checkInvariants(t *testing.T, rec *recorder, cfg *Config) {
	t.Helper()
	for _, m := range rec.msgs {
		if m.App != "poct1a" || !isMessageName([]byte(m.Type)) {
			t.Fatalf("bad message app/type %q/%q", m.App, m.Type)
		}
		if m.PHI.Empty() != (len(m.PHIFields) == 0) || m.Bytes > cfg.MaxMessageBytes {
			t.Fatalf("bad message %+v", m)
		}
		for _, s := range []string{m.Sender, m.Device, m.Software, m.Version, m.ControlID, m.Ack} {
			if len(s) > cfg.MaxValueBytes || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' }) {
				t.Fatalf("value not cleaned: %q", s)
			}
		}
	}
	for i, a := range rec.anoms {
		if !knownReasons[a.Reason] {
			t.Fatalf("undocumented reason %q", a.Reason)
		}
		if a.GaveUp != (a.Reason == ReasonGaveUp) || a.GaveUp && i != len(rec.anoms)-1 {
			t.Fatalf("gave_up must be the last anomaly, once: %v", rec.reasons())
		}
	}
}

// FuzzParse checks Parse returns only its sentinel errors.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s[0])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse(data, &Config{MaxDepth: 8, MaxTokens: 500, MaxAttrs: 4})
		if err == nil {
			return
		}
		for _, e := range []error{ErrNotPOCT, ErrDTD, ErrTooDeep, ErrTooManyTokens, ErrTooLarge, ErrBadXML} {
			if errors.Is(err, e) {
				return
			}
		}
		t.Fatalf("unexpected error %v", err)
	})
}
