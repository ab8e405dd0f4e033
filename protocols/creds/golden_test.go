package creds

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

type golden struct {
	Name      string          `json:"name"`
	Note      string          `json:"note"`
	Encrypted bool            `json:"encrypted,omitempty"`
	Messages  []goldenMessage `json:"messages"`
	Anomalies []goldenAnomaly `json:"anomalies"`
}

type goldenMessage struct {
	App      string            `json:"app"`
	Dir      string            `json:"dir"`
	Type     string            `json:"type"`
	Software string            `json:"software,omitempty"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Counts   map[string]int    `json:"counts,omitempty"`
}

type goldenAnomaly struct {
	Dir    string `json:"dir"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	GaveUp bool   `json:"gave_up,omitempty"`
}

func toGolden(s session, rec *recorder, encrypted bool) golden {
	g := golden{Name: s.name, Note: s.note, Encrypted: encrypted, Messages: []goldenMessage{}, Anomalies: []goldenAnomaly{}}
	for _, m := range rec.msgs {
		g.Messages = append(g.Messages, goldenMessage{App: m.App, Dir: m.Dir.String(), Type: m.Type, Software: m.Software,
			Attrs: m.Attrs, Counts: m.Counts})
	}
	for _, a := range rec.anoms {
		g.Anomalies = append(g.Anomalies, goldenAnomaly{Dir: a.Dir.String(), Reason: a.Reason, Detail: a.Detail, GaveUp: a.GaveUp})
	}
	return g
}

// checkGolden compares got with testdata/golden/name.json, or rewrites it.
func checkGolden(t *testing.T, name string, got golden) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".json")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(got))
	if *update {
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -update")
	var w, g golden
	require.NoError(t, json.Unmarshal(want, &w))
	require.NoError(t, json.Unmarshal(buf.Bytes(), &g))
	assert.Equal(t, w, g, "golden %s differs; run go test -update after checking", path)
}

func TestGoldenSessions(t *testing.T) {
	for _, s := range sessions() {
		t.Run(s.name, func(t *testing.T) {
			rec, flow := play(s.port, s.steps, nil, nil)
			checkGolden(t, "session__"+s.name, toGolden(s, rec, flow.Encrypted))
			assertNoPlanted(t, rec)
			rng := rand.New(rand.NewPCG(9, uint64(len(s.steps))))
			for _, cut := range []func(n int) []int{
				func(n int) []int {
					var c []int
					for k := 0; k < n; k += 1 + rng.IntN(9) {
						c = append(c, k)
					}
					return c
				},
				func(n int) []int {
					c := make([]int, n)
					for k := range c {
						c[k] = k
					}
					return c
				},
			} {
				got, _ := play(s.port, s.steps, nil, cut)
				require.Equal(t, len(rec.msgs), len(got.msgs))
				for i := range got.msgs {
					got.msgs[i].Flow = rec.msgs[i].Flow
				}
				assert.Equal(t, rec.msgs, got.msgs)
				assert.Equal(t, rec.reasons(), got.reasons())
			}
		})
	}
}

// assertNoPlanted requires that no planted user name, password, community or
// patient value appears in anything emitted.
func assertNoPlanted(t *testing.T, rec *recorder) {
	t.Helper()
	out := fmt.Sprintf("%+v %+v", rec.msgs, rec.anoms)
	for _, v := range planted {
		assert.NotContains(t, out, v)
	}
}
