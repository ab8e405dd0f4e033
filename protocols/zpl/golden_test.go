package zpl

import (
	"path/filepath"
	"strings"
	"testing"

	"labwatch/protocols/internal/prototest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// golden is what a golden file holds for one input file.
type golden struct {
	File      string          `json:"file"`
	Probe     string          `json:"probe"`
	Labels    int             `json:"labels"`
	Messages  []goldenMessage `json:"messages"`
	Anomalies []string        `json:"anomalies"`
}

type goldenMessage struct {
	Type      string            `json:"type"`
	Device    string            `json:"device,omitempty"`
	Software  string            `json:"software,omitempty"`
	PHI       []string          `json:"phi,omitempty"`
	PHIFields []string          `json:"phi_fields,omitempty"`
	Counts    map[string]int    `json:"counts"`
	Attrs     map[string]string `json:"attrs,omitempty"`
	Bytes     int               `json:"bytes"`
}

func corpusFiles(t *testing.T) []string { return prototest.CorpusFiles(t, corpusDir, "*.zpl") }

func TestGolden(t *testing.T) {
	var inputs []string
	own, _ := filepath.Glob("testdata/jobs/*")
	inputs = append(inputs, own...)
	if corpus, _ := filepath.Glob(filepath.Join(corpusDir, "*.zpl")); len(corpus) > 0 {
		inputs = append(inputs, corpus...)
	} else {
		t.Log("corpus absent: only testdata/jobs checked")
	}
	for _, p := range inputs {
		prefix := "jobs__"
		if strings.Contains(p, "corpus") {
			prefix = "corpus__"
		}
		name := prefix + strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		t.Run(name, func(t *testing.T) {
			data := readFile(t, p)
			r := run(nil, string(data), "")
			got := golden{File: filepath.Base(p), Probe: prototest.ProbeName(Probe(data)), Anomalies: r.Reasons()}
			for _, m := range r.Msgs {
				if m.Type == "label" {
					got.Labels++
				}
				got.Messages = append(got.Messages, goldenMessage{Type: m.Type, Device: m.Device, Software: m.Software,
					PHI: m.PHI.Kinds(), PHIFields: m.PHIFields, Counts: m.Counts, Attrs: m.Attrs, Bytes: m.Bytes})
			}
			want := prototest.Golden(t, filepath.Join("testdata/golden", name+".json"), got)
			assert.Equal(t, want.Probe, got.Probe)
			assert.Equal(t, want.Labels, got.Labels)
			assert.Equal(t, want.Anomalies, got.Anomalies)
			require.Len(t, got.Messages, len(want.Messages))
			for i := range want.Messages {
				w, g := want.Messages[i], got.Messages[i]
				assert.Equal(t, w.Type, g.Type)
				assert.Equal(t, w.PHI, g.PHI)
				assert.Equal(t, w.PHIFields, g.PHIFields)
				assert.Equal(t, w.Counts, g.Counts)
				assert.Equal(t, w.Bytes, g.Bytes)
			}
		})
	}
}
