package creds

import (
	"labwatch/protocols/internal/prototest"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

type golden struct {
	Name      string                    `json:"name"`
	Note      string                    `json:"note"`
	Encrypted bool                      `json:"encrypted,omitempty"`
	Messages  []goldenMessage           `json:"messages"`
	Anomalies []prototest.GoldenAnomaly `json:"anomalies"`
}

type goldenMessage struct {
	App      string            `json:"app"`
	Dir      string            `json:"dir"`
	Type     string            `json:"type"`
	Software string            `json:"software,omitempty"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Counts   map[string]int    `json:"counts,omitempty"`
}

func toGolden(s session, rec *prototest.Recorder, encrypted bool) golden {
	g := golden{Name: s.name, Note: s.note, Encrypted: encrypted, Messages: []goldenMessage{}}
	for _, m := range rec.Msgs {
		g.Messages = append(g.Messages, goldenMessage{App: m.App, Dir: m.Dir.String(), Type: m.Type, Software: m.Software,
			Attrs: m.Attrs, Counts: m.Counts})
	}
	g.Anomalies = prototest.GoldenAnomalies(rec.Anoms)
	return g
}

// checkGolden compares got with testdata/golden/name.json, or rewrites it.
func checkGolden(t *testing.T, name string, got golden) {
	t.Helper()
	prototest.AssertGolden(t, filepath.Join("testdata", "golden", name+".json"), got)
}

func TestGoldenSessions(t *testing.T) {
	for _, s := range sessions() {
		t.Run(s.name, func(t *testing.T) {
			rec, flow := play(s.port, s.steps, nil, nil)
			checkGolden(t, "session__"+s.name, toGolden(s, rec, flow.Encrypted))
			assertNoPlanted(t, rec)
			rng := rand.New(rand.NewPCG(9, uint64(len(s.steps))))
			for _, cut := range prototest.ReplayCuts(rng, 9) {
				got, _ := play(s.port, s.steps, nil, cut)
				prototest.AssertReplay(t, rec, got, prototest.SameFlow)
			}
		})
	}
}

// assertNoPlanted requires that no planted user name, password, community or
// patient value appears in anything emitted.
func assertNoPlanted(t *testing.T, rec *prototest.Recorder) {
	t.Helper()
	prototest.AssertNoneOf(t, rec.Dump(), planted)
}
