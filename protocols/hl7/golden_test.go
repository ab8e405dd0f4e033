package hl7

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// golden is what a golden file pins for one input: counts, keys and the
// chosen non-patient fields of every message, and every anomaly.
type golden struct {
	File      string          `json:"file"`
	Framing   string          `json:"framing"`
	Bytes     int             `json:"bytes"`
	Messages  int             `json:"messages"`
	Types     map[string]int  `json:"types"`
	Versions  map[string]int  `json:"versions"`
	PHI       []string        `json:"phi"`
	Anomalies map[string]int  `json:"anomalies"`
	Detail    []goldenMessage `json:"detail"`
	Problems  []string        `json:"anomaly_detail"`
}

type goldenMessage struct {
	Type      string         `json:"type"`
	Version   string         `json:"version"`
	Sender    string         `json:"sender"`
	Receiver  string         `json:"receiver"`
	ControlID string         `json:"control_id"`
	Ack       string         `json:"ack,omitempty"`
	Results   int            `json:"results"`
	Orders    int            `json:"orders"`
	Queries   int            `json:"queries"`
	PHI       []string       `json:"phi"`
	PHIFields []string       `json:"phi_fields"`
	Device    string         `json:"device,omitempty"`
	Software  string         `json:"software,omitempty"`
	Counts    map[string]int `json:"counts"`
	Bytes     int            `json:"bytes"`
}

func makeGolden(name, framing string, size int, r *prototest.Recorder) golden {
	g := golden{File: name, Framing: framing, Bytes: size, Types: map[string]int{}, Versions: map[string]int{},
		Anomalies: map[string]int{}, Detail: []goldenMessage{}, Problems: []string{}, PHI: []string{}}
	var phi app.PHISet
	for _, m := range r.Msgs {
		g.Messages++
		g.Types[m.Type]++
		g.Versions[m.Version]++
		phi |= m.PHI
		g.Detail = append(g.Detail, goldenMessage{
			Type: m.Type, Version: m.Version, Sender: m.Sender, Receiver: m.Receiver, ControlID: m.ControlID,
			Ack: m.Ack, Results: m.Results, Orders: m.Orders, Queries: m.Queries,
			PHI: append([]string{}, m.PHI.Kinds()...), PHIFields: append([]string{}, m.PHIFields...),
			Device: m.Device, Software: m.Software, Counts: m.Counts, Bytes: m.Bytes,
		})
	}
	g.PHI = append(g.PHI, phi.Kinds()...)
	for _, a := range r.Anoms {
		g.Anomalies[a.Reason]++
		g.Problems = append(g.Problems, a.Reason+": "+a.Detail)
	}
	return g
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got golden) {
	t.Helper()
	want, out := prototest.GoldenBytes(t, path, prototest.MarshalGolden(t, got))
	w := prototest.Decode[golden](t, want)
	assert.Equal(t, w.Messages, got.Messages, "message count")
	assert.Equal(t, w.Types, got.Types, "types")
	assert.Equal(t, w.Versions, got.Versions, "versions")
	assert.Equal(t, w.PHI, got.PHI, "PHI kinds")
	assert.Equal(t, w.Anomalies, got.Anomalies, "anomalies")
	assert.JSONEq(t, string(want), string(out), "golden file %s", path)
}

// runRaw feeds data as one direction of a raw (or self-framed) stream.
func runRaw(data []byte, chunks []int) *prototest.Recorder {
	a, r := newTestAnalyzer(nil)
	feed(a, app.ClientToServer, data, chunks)
	a.End(app.ClientToServer)
	a.Expire()
	return r
}

// feed delivers data in pieces of the given sizes (the last piece takes the
// rest; nil means one call).
func feed(a *Analyzer, dir app.Direction, data []byte, chunks []int) {
	for _, n := range chunks {
		if n > len(data) {
			break
		}
		a.Data(dir, data[:n], testT0)
		data = data[n:]
	}
	if len(data) > 0 {
		a.Data(dir, data, testT0)
	}
}

func randomChunks(rng *rand.Rand, size int) []int {
	var out []int
	for total := 0; total < size; {
		n := 1 + rng.IntN(64)
		if rng.IntN(8) == 0 {
			n = 1 + rng.IntN(4096)
		}
		out = append(out, n)
		total += n
	}
	return out
}

// TestGoldenCorpus parses every public sample as a raw stream and pins the
// result in testdata/golden/corpus; the same file cut at random boundaries
// must give the same result.
func TestGoldenCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			r := runRaw(data, nil)
			got := makeGolden(name, "raw", len(data), r)
			checkGolden(t, filepath.Join("testdata", "golden", "corpus", name+".json"), got)

			rng := rand.New(rand.NewPCG(uint64(len(data)), 7))
			chunked := makeGolden(name, "raw", len(data), runRaw(data, randomChunks(rng, len(data))))
			assert.Equal(t, got, chunked, "result must not depend on segment boundaries")
		})
	}
}

// TestGoldenSamples frames each of our own samples in MLLP and pins the
// result in testdata/golden/samples.
func TestGoldenSamples(t *testing.T) {
	files, err := filepath.Glob("testdata/*.hl7")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			framed := mllp(string(data))
			r := runRaw(framed, nil)
			got := makeGolden(name, "mllp", len(framed), r)
			checkGolden(t, filepath.Join("testdata", "golden", "samples", name+".json"), got)

			byteByByte := make([]int, len(framed))
			for i := range byteByByte {
				byteByByte[i] = 1
			}
			assert.Equal(t, got, makeGolden(name, "mllp", len(framed), runRaw(framed, byteByByte)))
			// The same bytes without MLLP give the same messages.
			raw := makeGolden(name, "mllp", len(framed), runRaw(data, nil))
			assert.Equal(t, got.Types, raw.Types)
			assert.Equal(t, got.PHI, raw.PHI)
		})
	}
}

// TestGoldenFilesHoldNoPatientValue scans the golden files for the
// fictional patient values our samples plant.
func TestGoldenFilesHoldNoPatientValue(t *testing.T) {
	files, err := filepath.Glob("testdata/golden/*/*.json")
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, v := range plantedValues {
			assert.False(t, bytes.Contains(b, []byte(v)), fmt.Sprintf("%s holds %q", f, v))
		}
	}
	assert.True(t, slices.Contains(plantedValues, "TESTPATIENT"))
}
