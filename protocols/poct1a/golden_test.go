package poct1a

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"labwatch/protocols/internal/prototest"
)

type golden struct {
	Name      string                    `json:"name"`
	Note      string                    `json:"note"`
	Probe     [2]string                 `json:"probe"` // first bytes of c2s, s2c
	Messages  []goldenMessage           `json:"messages"`
	Anomalies []prototest.GoldenAnomaly `json:"anomalies"`
}

type goldenMessage struct {
	Dir        string            `json:"dir"`
	Type       string            `json:"type"`
	Sender     string            `json:"sender,omitempty"`
	Receiver   string            `json:"receiver,omitempty"`
	Device     string            `json:"device,omitempty"`
	Software   string            `json:"software,omitempty"`
	Version    string            `json:"version,omitempty"`
	ControlID  string            `json:"control_id,omitempty"`
	Ack        string            `json:"ack,omitempty"`
	AckLatency string            `json:"ack_latency,omitempty"`
	Results    int               `json:"results"`
	PHI        []string          `json:"phi,omitempty"`
	PHIFields  []string          `json:"phi_fields,omitempty"`
	Counts     map[string]int    `json:"counts,omitempty"`
	Attrs      map[string]string `json:"attrs,omitempty"`
	Bytes      int               `json:"bytes"`
}

func toGolden(c conversation, rec *prototest.Recorder) golden {
	g := golden{Name: c.name, Note: c.note, Messages: []goldenMessage{}}
	var first [2][]byte
	for _, ch := range c.chunks {
		if first[ch.dir] == nil {
			first[ch.dir] = ch.data
		}
	}
	for d := range first {
		g.Probe[d] = prototest.ProbeName(Probe(first[d]))
	}
	for _, m := range rec.Msgs {
		gm := goldenMessage{Dir: m.Dir.String(), Type: m.Type, Sender: m.Sender, Receiver: m.Receiver,
			Device: m.Device, Software: m.Software, Version: m.Version, ControlID: m.ControlID, Ack: m.Ack,
			Results: m.Results, PHI: m.PHI.Kinds(), PHIFields: m.PHIFields, Counts: m.Counts, Attrs: m.Attrs, Bytes: m.Bytes}
		if m.AckLatency > 0 {
			gm.AckLatency = m.AckLatency.String()
		}
		if _, ok := gm.Attrs["user_hash"]; ok {
			gm.Attrs["user_hash"] = "(keyed hash)" // the key is random per run
		}
		if len(gm.Counts) == 0 {
			gm.Counts = nil
		}
		if len(gm.Attrs) == 0 {
			gm.Attrs = nil
		}
		g.Messages = append(g.Messages, gm)
	}
	g.Anomalies = prototest.GoldenAnomalies(rec.Anoms)
	return g
}

// TestGolden replays each conversation and compares with
// testdata/golden/<name>.json (rewritten with -update).
func TestGolden(t *testing.T) {
	for _, c := range conversations(t) {
		t.Run(c.name, func(t *testing.T) {
			got := toGolden(c, play(c.chunks, nil))
			path := filepath.Join("testdata/golden", c.name+".json")
			want, have := prototest.GoldenBytes(t, path, prototest.MarshalGolden(t, got))
			require.Equal(t, prototest.Decode[golden](t, want), prototest.Decode[golden](t, have),
				"%s differs; rerun with -update if the change is intended", path)
		})
	}
}
