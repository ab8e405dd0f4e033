package dicom

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

var update = flag.Bool("update", false, "rewrite testdata/pcap and testdata/golden")

// golden is what a golden file holds for one capture.
type golden struct {
	File      string          `json:"file"`
	Note      string          `json:"note,omitempty"`
	Probe     [2]string       `json:"probe"` // c2s, s2c first bytes
	Types     map[string]int  `json:"types"`
	Messages  []goldenMessage `json:"messages"`
	Anomalies []goldenAnomaly `json:"anomalies"`
}

type goldenMessage struct {
	Dir       string            `json:"dir"`
	Type      string            `json:"type"`
	Sender    string            `json:"sender,omitempty"`
	Receiver  string            `json:"receiver,omitempty"`
	Software  string            `json:"software,omitempty"`
	Version   string            `json:"version,omitempty"`
	ControlID string            `json:"control_id,omitempty"`
	PHI       []string          `json:"phi,omitempty"`
	PHIFields []string          `json:"phi_fields,omitempty"`
	Counts    map[string]int    `json:"counts,omitempty"`
	Attrs     map[string]string `json:"attrs,omitempty"`
	Bytes     int               `json:"bytes"`
}

type goldenAnomaly struct {
	Dir    string `json:"dir"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	GaveUp bool   `json:"gave_up,omitempty"`
}

var probeNames = [...]string{app.NoMatch: "no_match", app.NeedMore: "need_more", app.Match: "match"}

func toGolden(file, note string, segs []segment, rec *recorder) golden {
	g := golden{File: file, Note: note, Types: rec.types(), Messages: []goldenMessage{}, Anomalies: []goldenAnomaly{}}
	var first [2][]byte
	for _, s := range segs {
		if first[s.dir] == nil && len(s.payload) > 0 {
			first[s.dir] = s.payload
		}
	}
	for d := range first {
		g.Probe[d] = probeNames[Probe(first[d])]
	}
	for _, m := range rec.msgs {
		if m.Attrs["user_hash"] != "" {
			m.Attrs["user_hash"] = "(keyed hash)" // the key is random per run
		}
		g.Messages = append(g.Messages, goldenMessage{Dir: m.Dir.String(), Type: m.Type, Sender: m.Sender,
			Receiver: m.Receiver, Software: m.Software, Version: m.Version, ControlID: m.ControlID,
			PHI: m.PHI.Kinds(), PHIFields: m.PHIFields, Counts: m.Counts, Attrs: m.Attrs, Bytes: m.Bytes})
	}
	for _, a := range rec.anoms {
		g.Anomalies = append(g.Anomalies, goldenAnomaly{Dir: a.Dir.String(), Reason: a.Reason, Detail: a.Detail, GaveUp: a.GaveUp})
	}
	return g
}

func checkGolden(t *testing.T, name string, g golden) {
	t.Helper()
	path := filepath.Join("testdata/golden", name+".json")
	got, err := json.MarshalIndent(g, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	var w golden
	require.NoError(t, json.Unmarshal(want, &w))
	require.Equal(t, w, roundTrip(t, got), "%s differs from the analyzer's output; rerun with -update if the change is intended", path)
}

func roundTrip(t *testing.T, b []byte) golden {
	var g golden
	require.NoError(t, json.Unmarshal(b, &g))
	return g
}

// TestGoldenSynthetic writes (with -update) each synthetic conversation as a
// capture, then replays the capture through the analyzer and compares with
// its golden file.
func TestGoldenSynthetic(t *testing.T) {
	for _, c := range conversations() {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join("testdata/pcap", c.name+".pcap")
			if *update {
				writePcap(t, path, c)
			}
			segs := readPcap(t, path)
			rec := &recorder{}
			replay(segs, NewAnalyzer(newTestFlow(), rec, nil))
			checkGolden(t, c.name, toGolden(filepath.ToSlash(path), c.note, segs, rec))
		})
	}
}

// TestGoldenCorpus replays the public tapirx captures.
func TestGoldenCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "tapirx__dicom_*.pcap"))
	if len(files) == 0 {
		t.Skip("corpus not present")
	}
	for _, f := range files {
		name := "corpus__" + strings.TrimSuffix(filepath.Base(f), ".pcap")
		t.Run(name, func(t *testing.T) {
			segs := readPcap(t, f)
			rec := &recorder{}
			replay(segs, NewAnalyzer(newTestFlow(), rec, nil))
			require.NotEmpty(t, rec.msgs)
			checkGolden(t, name, toGolden(filepath.Base(f), "", segs, rec))
		})
	}
}
