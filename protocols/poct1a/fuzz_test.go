package poct1a

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
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
		rec := &prototest.Recorder{}
		a := NewAnalyzer(newTestFlow(), rec, cfg)
		prototest.Interleave(rng, [2][]byte{c2sData, s2cData}, prototest.UpTo(rng, 64), func(d app.Direction, seg []byte) {
			if rng.IntN(50) == 0 {
				a.Gap(d, rng.IntN(10)-1)
			}
			a.Data(d, seg, t0)
		})
		a.Expire()
		checkInvariants(t, rec, cfg)

		whole := play([]chunk{{c2s, c2sData, 0}}, cfg)
		var pieces []chunk
		for _, seg := range prototest.Segments(c2sData, prototest.UpTo(rng, 32)) {
			pieces = append(pieces, chunk{c2s, seg, 0})
		}
		cut := play(pieces, cfg)
		checkInvariants(t, whole, cfg)
		if len(whole.Msgs) != len(cut.Msgs) || !slices.Equal(whole.Reasons(), cut.Reasons()) {
			t.Fatalf("segmentation changed the output: %v/%v whole, %v/%v in pieces",
				whole.Types(), whole.Reasons(), cut.Types(), cut.Reasons())
		}
	})
}

func checkInvariants(t *testing.T, rec *prototest.Recorder, cfg *Config) {
	t.Helper()
	for _, m := range rec.Msgs {
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
	rec.CheckAnomalies(t, knownReasons, ReasonGaveUp)
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
