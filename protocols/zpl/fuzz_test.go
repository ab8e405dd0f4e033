package zpl

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"labwatch/protocols/app"
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
		r := &recorder{}
		a := NewAnalyzer(testFlow, r, &cfg)
		bufs := [2][]byte{c2s, s2c}
		for len(bufs[0])+len(bufs[1]) > 0 {
			d := rng.IntN(2)
			if len(bufs[d]) == 0 {
				d ^= 1
			}
			n := 1 + rng.IntN(len(bufs[d]))
			a.Data(app.Direction(d), bufs[d][:n], t0)
			bufs[d] = bufs[d][n:]
			if gaps && rng.IntN(8) == 0 {
				a.Gap(app.Direction(d), rng.IntN(100)-1)
			}
		}
		a.Expire()
		for _, out := range []*recorder{whole, r} {
			checkInvariants(t, out)
		}
		if !gaps && !slices.Equal(sorted(whole.types()), sorted(r.types())) {
			t.Fatalf("segmenting changed the messages: %v vs %v", whole.types(), r.types())
		}
	})
}

func checkInvariants(t *testing.T, r *recorder) {
	gave := 0
	for _, a := range r.anoms {
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
	for _, m := range r.msgs {
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
