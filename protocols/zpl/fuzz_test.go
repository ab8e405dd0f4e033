package zpl

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var knownReasons = map[string]bool{
	ReasonFieldTooLarge: true, ReasonLabelTooLarge: true, ReasonLineTooLarge: true,
	ReasonResponseTooLarge: true, ReasonUnterminated: true, ReasonNotZPL: true,
	ReasonGapResync: true, ReasonGaveUp: true,
}

var knownTypes = map[string]bool{"label": true, "host_identification": true, "host_status": true}

// FuzzAnalyzer feeds both directions in random segments, with occasional gaps,
// under small caps, and checks the output's invariants; without gaps, the
// messages must not depend on where the segments were cut.
func FuzzAnalyzer(f *testing.F) {
	seeds := []string{specimenLabel, "~HI", "\nN\nA1,1,0,1,1,1,N,\"A, B\"\nGW1,1,2,2,\x00\x01\x02\x03\nP1\n"}
	paths, _ := filepath.Glob("testdata/jobs/*")
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "*.zpl"))
	for _, p := range append(paths, corpus...) {
		seeds = append(seeds, string(readFile(f, p)))
	}
	for i, s := range seeds {
		f.Add([]byte(s), []byte("\x02ZT410,V75.20.01Z,8,8192KB\x03"), uint64(i), false)
	}
	f.Fuzz(func(t *testing.T, c2s, s2c []byte, seed uint64, gaps bool) {
		cfg := DefaultConfig()
		cfg.MaxFieldBytes, cfg.MaxLineBytes, cfg.MaxResponseBytes, cfg.MaxLabelBytes = 32, 64, 48, 4096
		whole := run(&cfg, string(c2s), string(s2c))
		rng := rand.New(rand.NewPCG(seed, 1))
		r := &prototest.Recorder{}
		a := NewAnalyzer(testFlow, r, &cfg)
		prototest.Interleave(rng, [2][]byte{c2s, s2c}, prototest.AnyOf(rng), func(d app.Direction, seg []byte) {
			a.Data(d, seg, t0)
			if gaps && rng.IntN(8) == 0 {
				a.Gap(d, rng.IntN(100)-1)
			}
		})
		a.Expire()
		for _, out := range []*prototest.Recorder{whole, r} {
			checkInvariants(t, out)
		}
		if !gaps && !slices.Equal(sorted(whole.Types()), sorted(r.Types())) {
			t.Fatalf("segmenting changed the messages: %v vs %v", whole.Types(), r.Types())
		}
	})
}

func checkInvariants(t *testing.T, r *prototest.Recorder) {
	gave := 0
	for _, a := range r.Anoms {
		if !knownReasons[a.Reason] {
			t.Fatalf("unknown reason %q", a.Reason)
		}
		if a.GaveUp {
			gave++
		}
	}
	if gave > 1 {
		t.Fatalf("gave up %d times", gave)
	}
	for _, m := range r.Msgs {
		if !knownTypes[m.Type] {
			t.Fatalf("unknown type %q", m.Type)
		}
		for _, f := range m.PHIFields {
			if !slices.Contains(phiFieldNames[:], f) {
				t.Fatalf("unknown PHI field %q", f)
			}
		}
		if len(m.Device) > 64 || len(m.Software) > 64 {
			t.Fatalf("identity not truncated")
		}
	}
}

// sorted orders message types: the two directions' messages interleave
// differently when segments are cut differently.
func sorted(s []string) []string {
	slices.Sort(s)
	return s
}
