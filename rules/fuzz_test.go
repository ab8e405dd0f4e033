package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/hl7"
)

// FuzzParse feeds arbitrary rule files to ParseFile, then runs what compiled on a
// few events and alerts: nothing may panic, and errors must carry the file name.
func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	paths, _ := filepath.Glob(filepath.Join("testdata", "files", "*.yaml"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("rules:\n  - {id: a, expression: 'PHI[9] == \"x\"', severity: low, threshold: {count: 1, window: 1s, by: pair}}\n"))
	f.Add([]byte("suppress:\n  - {device: '::1/128'}\nlimit:\n  - {peer: 10.0.0.0/8, count: 1, window: 1m}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile(data, "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, m := range scenario()[:10] {
			for _, a := range file.Rules.Match(eventOf(m)) {
				file.Suppressor.Filter(a)
			}
		}
		file.Rules.Stats()
		file.Suppressor.Stats()
	})
}

// FuzzMatchStream parses HL7 streams (seeded from testdata and the corpus) cut
// at random boundaries in both directions, and runs every message through the
// default rules and a suppressor.
func FuzzMatchStream(f *testing.F) {
	f.Add(plantedHL7(), uint64(7))
	if entries, err := os.ReadDir(corpusDir); err == nil {
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(corpusDir, e.Name())); err == nil {
				f.Add(data, uint64(len(data)))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		sup := mustParse(t, "limit:\n  - {type: rule, count: 2, window: 1m, by: pair}\n").Suppressor
		sink := &ruleSink{set: Default(), sup: sup}
		a := hl7.NewAnalyzer(flow("10.40.1.5:40000", "203.0.113.50:2575"), sink, nil)
		rest := data
		for len(rest) > 0 {
			seed = seed*6364136223846793005 + 1442695040888963407 // LCG: boundaries and directions
			n := 1 + int(seed>>33)%len(rest)
			dir := app.Direction(seed >> 63)
			a.Data(dir, rest[:n], t0)
			rest = rest[n:]
		}
		a.Expire()
	})
}
