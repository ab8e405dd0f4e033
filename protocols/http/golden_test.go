package http

import (
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

type golden struct {
	Name      string                    `json:"name"`
	Note      string                    `json:"note"`
	Messages  []goldenMessage           `json:"messages"`
	Anomalies []prototest.GoldenAnomaly `json:"anomalies"`
	Tshark    []string                  `json:"tshark,omitempty"`
}

type goldenMessage struct {
	Dir       string            `json:"dir"`
	Type      string            `json:"type"`
	Version   string            `json:"version,omitempty"`
	Software  string            `json:"software,omitempty"`
	LatencyMS int64             `json:"latency_ms,omitempty"`
	Attrs     map[string]string `json:"attrs,omitempty"`
	Counts    map[string]int    `json:"counts,omitempty"`
	PHI       []string          `json:"phi,omitempty"`
	PHIFields []string          `json:"phi_fields,omitempty"`
	Bytes     int               `json:"bytes"`
}

func toGolden(c conversation, rec *prototest.Recorder) golden {
	g := golden{Name: c.name, Note: c.note, Messages: []goldenMessage{}}
	for _, m := range rec.Msgs {
		g.Messages = append(g.Messages, goldenMessage{Dir: m.Dir.String(), Type: m.Type, Version: m.Version,
			Software: m.Software, LatencyMS: m.AckLatency.Milliseconds(), Attrs: m.Attrs, Counts: m.Counts,
			PHI: m.PHI.Kinds(), PHIFields: m.PHIFields, Bytes: m.Bytes})
	}
	g.Anomalies = prototest.GoldenAnomalies(rec.Anoms)
	return g
}

// checkGolden compares got with testdata/golden/name.json, or rewrites it.
func checkGolden(t *testing.T, name string, got golden) {
	t.Helper()
	prototest.AssertGolden(t, filepath.Join("testdata", "golden", name+".json"), got)
}

func TestGoldenConversations(t *testing.T) {
	for _, c := range conversations() {
		t.Run(c.name, func(t *testing.T) {
			rec := play(c.steps, nil, nil)
			g := toGolden(c, rec)
			if c.pcap {
				g.Tshark = tsharkView(t, c)
				if g.Tshark != nil {
					assert.Equal(t, g.Tshark, ourView(rec), "tshark disagrees")
				}
			}
			checkGolden(t, "conv__"+c.name, g)
			assertSegmentationInvariant(t, c.steps, rec)
			assertNoPlanted(t, rec)
		})
	}
}

// tsharkView lists, per HTTP message tshark finds in the conversation's pcap,
// "request METHOD host user-agent" or "response CODE server", and the keyed
// hash of the Basic user name it decodes.
func tsharkView(t *testing.T, c conversation) []string {
	bin, err := exec.LookPath("tshark")
	if err != nil {
		return nil
	}
	path := filepath.Join(t.TempDir(), c.name+".pcap")
	writePcap(t, path, c.steps, c.port)
	out, err := exec.Command(bin, "-r", path, "-d", fmt.Sprintf("tcp.port==%d,http", c.port), "-Y", "http", "-T", "fields",
		"-E", "separator=|", "-e", "http.request.method", "-e", "http.host", "-e", "http.user_agent",
		"-e", "http.response.code", "-e", "http.server", "-e", "http.authbasic").Output()
	require.NoError(t, err)
	var view []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) < 6 {
			continue
		}
		if f[0] != "" {
			v := "request " + f[0] + " " + f[1] + " " + f[2]
			if user, _, ok := strings.Cut(f[5], ":"); ok {
				v += " user=" + app.KeyedHash(user)
			}
			view = append(view, v)
		}
		if f[3] != "" {
			view = append(view, "response "+strings.ReplaceAll(f[3], ",", " ")+" "+f[4])
		}
	}
	return view
}

func ourView(rec *prototest.Recorder) []string {
	var view []string
	for _, m := range rec.Msgs {
		if m.Type == TypeResponse {
			view = append(view, "response "+m.Attrs[AttrStatus]+" "+m.Attrs[AttrServer])
			continue
		}
		v := "request " + m.Type + " " + m.Attrs[AttrHost] + " " + m.Attrs[AttrUserAgent]
		if m.Attrs[AttrAuth] == "basic" {
			v += " user=" + m.Attrs[AttrUserHash]
		}
		view = append(view, v)
	}
	return view
}

// assertSegmentationInvariant replays steps cut at random points, and byte by
// byte, and requires the same output.
func assertSegmentationInvariant(t *testing.T, steps []step, whole *prototest.Recorder) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, uint64(len(steps))))
	for _, cut := range prototest.ReplayCuts(rng, 60) {
		prototest.AssertReplay(t, whole, play(steps, nil, cut), func(got, whole *app.Message) {
			got.Flow, got.TS, got.AckLatency = whole.Flow, whole.TS, whole.AckLatency
		})
	}
}

// assertNoPlanted requires that no planted patient value or secret appears in
// anything the analyzer emitted.
func assertNoPlanted(t *testing.T, rec *prototest.Recorder) {
	t.Helper()
	prototest.AssertNoneOf(t, rec.Dump(), planted)
}
