package hl7

import (
	"fmt"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"labwatch/protocols/app"
)

// recorder is an app.Emitter that keeps copies of everything emitted, as a
// real emitter must (the analyzer reuses its Message).
type recorder struct {
	msgs      []app.Message
	anomalies []app.Anomaly
}

func (r *recorder) Message(m *app.Message) {
	c := *m
	c.Counts = maps.Clone(m.Counts)
	c.PHIFields = slices.Clone(m.PHIFields)
	r.msgs = append(r.msgs, c)
}

func (r *recorder) Anomaly(a *app.Anomaly) { r.anomalies = append(r.anomalies, *a) }

func (r *recorder) reasons() []string {
	var out []string
	for _, a := range r.anomalies {
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

var (
	testT0   = time.Date(2026, 3, 4, 14, 3, 12, 0, time.UTC)
	testFlow = &app.Flow{
		ID: 1, Transport: app.TCP,
		Client: netip.MustParseAddrPort("10.40.1.22:51515"),
		Server: netip.MustParseAddrPort("10.40.1.5:2575"),
		Start:  testT0,
	}
)

func newTestAnalyzer(cfg *Config) (*Analyzer, *recorder) {
	r := &recorder{}
	return NewAnalyzer(testFlow, r, cfg), r
}

// mllp wraps messages in MLLP frames.
func mllp(msgs ...string) []byte {
	var b []byte
	for _, m := range msgs {
		b = append(b, startBlock)
		b = append(b, m...)
		b = append(b, endBlock, carriageRe)
	}
	return b
}

// corpusDir is the shared corpus of public samples; tests that read it skip
// when it is absent.
const corpusDir = "../../../shared/corpus/hl7"

func corpusFiles(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, filepath.Join(corpusDir, e.Name()))
		}
	}
	if len(out) == 0 {
		t.Skip("corpus is empty")
	}
	return out
}

func readCorpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Skipf("corpus file not available: %v", err)
	}
	return b
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dump renders everything emitted, for leak checks and debugging.
func (r *recorder) dump() string {
	s := ""
	for _, m := range r.msgs {
		s += fmt.Sprintf("%+v\n", m)
	}
	for _, a := range r.anomalies {
		s += fmt.Sprintf("%+v\n", a)
	}
	return s
}
