package phiscan

import (
	"math/rand/v2"
	"slices"
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// FuzzScan checks that Scan never panics, that fields are the static names, and
// that the analyzer, fed both directions in random segments, never finds a kind
// that Scan of the whole direction does not (a cut must not invent a pattern),
// as long as no gap is reported.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"PID|1||X1^^^H||TESTCASE^ONE||19450312|F\r", "ssn 123-45-6789", "MRN: 00412345",
		`{"name":"Testcase One","dob":"1945-03-12"}`, "1123-45-6789", "\x00\xff\x0bPID|",
	} {
		f.Add([]byte(s), []byte("HTTP/1.1 200 OK\r\n\r\n"+s), uint64(len(s)))
	}
	f.Fuzz(func(t *testing.T, c2s, s2c []byte, seed uint64) {
		cfg := DefaultConfig()
		cfg.CarryBytes = 16
		var whole [2]app.PHISet
		for d, b := range [2][]byte{c2s, s2c} {
			phi, fields := Scan(b, &cfg)
			whole[d] = phi
			for _, fl := range fields {
				if !slices.Contains(fieldNames[:], fl) {
					t.Fatalf("unknown field %q", fl)
				}
			}
		}
		r := &prototest.Recorder{}
		a := NewAnalyzer(testFlow, r, &cfg)
		rng := rand.New(rand.NewPCG(seed, 3))
		prototest.Interleave(rng, [2][]byte{c2s, s2c}, prototest.AnyOf(rng), func(d app.Direction, seg []byte) { a.Data(d, seg, t0) })
		a.Expire()
		for _, m := range r.Msgs {
			if m.PHI&^whole[m.Dir] != 0 {
				t.Fatalf("segmented scan found %v, whole scan %v", m.PHI, whole[m.Dir])
			}
		}
	})
}
