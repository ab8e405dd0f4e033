package trail_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/capture/pcapfile"
	"labwatch/detect"
	"labwatch/output"
	"labwatch/sensor"
	"labwatch/testdata/gen"
	"labwatch/trail"
)

// runSealed replays a capture through a sensor whose alerts are sealed and
// written to alerts (appending), as the wired sensor does, with the chain's
// head saved beside the baseline.
func runSealed(t *testing.T, capture, alerts, baseline string) int {
	t.Helper()
	var chain trail.Chain
	headPath := baseline + ".trail"
	require.NoError(t, chain.LoadHead(headPath))
	sink, err := output.OpenJSONLines(alerts)
	require.NoError(t, err)
	n := 0
	s, err := sensor.New(sensor.DefaultConfig(), func(a *detect.Alert) {
		chain.Seal(a)
		sink.Write(a)
		n++
	})
	require.NoError(t, err)
	r, err := pcapfile.Open([]string{capture})
	require.NoError(t, err)
	defer r.Close()
	r.Each(s.Packet)
	require.NoError(t, s.Close())
	require.NoError(t, sink.Close())
	require.NoError(t, chain.SaveHead(headPath))
	return n
}

// TestSealedDemoRuns replays the generated demo lab twice, the second run
// continuing the first one's chain in the same file: the file verifies
// whole, and an alert edited or removed from it is named.
func TestSealedDemoRuns(t *testing.T) {
	data, _, err := gen.Capture(gen.Demo())
	require.NoError(t, err)
	dir := t.TempDir()
	capture := filepath.Join(dir, "demo.pcapng")
	require.NoError(t, os.WriteFile(capture, data, 0o600))
	alerts, baseline := filepath.Join(dir, "alerts.jsonl"), filepath.Join(dir, "baseline")

	first := runSealed(t, capture, alerts, baseline)
	second := runSealed(t, capture, alerts, baseline)
	require.Positive(t, first)
	n, brk, err := trail.VerifyFile(alerts)
	require.NoError(t, err)
	assert.Nil(t, brk)
	assert.Equal(t, first+second, n)

	head, err := trail.ReadHead(baseline + ".trail")
	require.NoError(t, err)
	assert.Equal(t, uint64(first+second), head.Seq)

	// One alert of the first run downgraded by hand: verify names its line.
	raw, err := os.ReadFile(alerts)
	require.NoError(t, err)
	lines := bytes.SplitAfter(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n"))
	k := first / 2
	lines[k] = bytes.Replace(lines[k], []byte(`"severity":"`), []byte(`"severity":"info","was":"`), 1)
	_, brk = trail.VerifyHead(bytes.NewReader(join(lines)), head)
	require.NotNil(t, brk)
	assert.Equal(t, trail.ReasonAltered, brk.Reason)
	assert.Equal(t, k+1, brk.Line)
}
