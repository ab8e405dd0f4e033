package defrag

import (
	"encoding/json"
	"flag"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

// goldenScenario records what each scenario produced: the counters (gauges
// included) and each completed payload's length and CRC-32.
type goldenScenario struct {
	Stats    Stats           `json:"stats"`
	Payloads []goldenPayload `json:"payloads"`
}

type goldenPayload struct {
	Len   int    `json:"len"`
	CRC32 uint32 `json:"crc32"`
}

func TestGoldenScenarios(t *testing.T) {
	got := map[string]goldenScenario{}
	for _, sc := range scenarios() {
		d := New(sc.cfg)
		g := goldenScenario{Payloads: []goldenPayload{}}
		for _, p := range feed(d, sc.frags) {
			g.Payloads = append(g.Payloads, goldenPayload{len(p), crc32.ChecksumIEEE(p)})
		}
		g.Stats = d.Stats()
		got[sc.name] = g
	}
	path := filepath.Join("testdata", "golden", "scenarios.json")
	if *update {
		out, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, append(out, '\n'), 0o644))
	}
	raw, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	var want map[string]goldenScenario
	require.NoError(t, json.Unmarshal(raw, &want))
	require.Len(t, got, len(want))
	for name, w := range want {
		assert.Equal(t, w, got[name], name)
	}
}
