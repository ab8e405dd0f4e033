package dicom

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"labwatch/protocols/internal/prototest"
)

// golden is what a golden file holds for one capture.
type golden struct {
	File      string                    `json:"file"`
	Note      string                    `json:"note,omitempty"`
	Probe     [2]string                 `json:"probe"` // c2s, s2c first bytes
	Types     map[string]int            `json:"types"`
	Messages  []goldenMessage           `json:"messages"`
	Anomalies []prototest.GoldenAnomaly `json:"anomalies"`
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

func toGolden(file, note string, segs []segment, rec *prototest.Recorder) golden {
	g := golden{File: file, Note: note, Types: rec.TypeCounts(), Messages: []goldenMessage{}}
	var first [2][]byte
	for _, s := range segs {
		if first[s.dir] == nil && len(s.payload) > 0 {
			first[s.dir] = s.payload
		}
	}
	for d := range first {
		g.Probe[d] = prototest.ProbeName(Probe(first[d]))
	}
	for _, m := range rec.Msgs {
		if m.Attrs["user_hash"] != "" {
			m.Attrs["user_hash"] = "(keyed hash)" // the key is random per run
		}
		g.Messages = append(g.Messages, goldenMessage{Dir: m.Dir.String(), Type: m.Type, Sender: m.Sender,
			Receiver: m.Receiver, Software: m.Software, Version: m.Version, ControlID: m.ControlID,
			PHI: m.PHI.Kinds(), PHIFields: m.PHIFields, Counts: m.Counts, Attrs: m.Attrs, Bytes: m.Bytes})
	}
	g.Anomalies = prototest.GoldenAnomalies(rec.Anoms)
	return g
}

func checkGolden(t *testing.T, name string, g golden) {
	t.Helper()
	path := filepath.Join("testdata/golden", name+".json")
	want, got := prototest.GoldenBytes(t, path, prototest.MarshalGolden(t, g))
	require.Equal(t, prototest.Decode[golden](t, want), prototest.Decode[golden](t, got),
		"%s differs from the analyzer's output; rerun with -update if the change is intended", path)
}

// TestGoldenSynthetic writes (with -update) each synthetic conversation as a
// capture, then replays the capture through the analyzer and compares with
// its golden file.
func TestGoldenSynthetic(t *testing.T) {
	for _, c := range conversations() {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join("testdata/pcap", c.name+".pcap")
			if *prototest.Update {
				writePcap(t, path, c)
			}
			segs := readPcap(t, path)
			rec := &prototest.Recorder{}
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
			rec := &prototest.Recorder{}
			replay(segs, NewAnalyzer(newTestFlow(), rec, nil))
			require.NotEmpty(t, rec.Msgs)
			checkGolden(t, name, toGolden(filepath.Base(f), "", segs, rec))
		})
	}
}
