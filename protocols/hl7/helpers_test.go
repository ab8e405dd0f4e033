package hl7

import (
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var (
	testT0   = time.Date(2026, 3, 4, 14, 3, 12, 0, time.UTC)
	testFlow = &app.Flow{
		ID: 1, Transport: app.TCP,
		Client: netip.MustParseAddrPort("10.40.1.22:51515"),
		Server: netip.MustParseAddrPort("10.40.1.5:2575"),
		Start:  testT0,
	}
)

func newTestAnalyzer(cfg *Config) (*Analyzer, *prototest.Recorder) {
	r := &prototest.Recorder{}
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

func corpusFiles(t testing.TB) []string { return prototest.CorpusFiles(t, corpusDir, "*") }

func readCorpus(t testing.TB, name string) []byte { return prototest.ReadCorpus(t, corpusDir, name) }

func readTestdata(t testing.TB, name string) []byte {
	return prototest.ReadFile(t, filepath.Join("testdata", name))
}
