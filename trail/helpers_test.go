package trail_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/output"
	"labwatch/trail"
)

// sampleAlert is the i-th alert of a made-up run.
func sampleAlert(i int) *detect.Alert {
	return &detect.Alert{
		TS:   time.Date(2026, 3, 4, 14, 0, i, 0, time.UTC),
		Type: detect.AlertNewPeer, Severity: detect.SeverityMedium,
		Device: "10.40.1.22", SrcIP: "10.40.1.22", SrcPort: 51515, DstIP: "198.51.100.23", DstPort: 8080,
		Transport: "tcp", App: "hl7",
		Summary: fmt.Sprintf("10.40.1.22 reached 198.51.100.23 port 8080 <new> & odd #%d", i),
		Details: map[string]any{"zeta": i, "alpha": []string{"a", "b"}, "first_ts": time.Date(2026, 3, 4, 13, 0, 0, 0, time.UTC)},
		ID:      fmt.Sprintf("id%04d", i), Sensor: "lab-a",
	}
}

// writeChain seals n alerts on c and writes them through the real JSON-lines
// sink to path (appending), so that tests check the sink writes what the
// chain hashed.
func writeChain(t testing.TB, c *trail.Chain, path string, from, n int) {
	t.Helper()
	sink, err := output.OpenJSONLines(path)
	require.NoError(t, err)
	for i := from; i < from+n; i++ {
		a := sampleAlert(i)
		c.Seal(a)
		sink.Write(a)
	}
	require.NoError(t, sink.Close())
}

// chainLines returns n sealed alert lines of a new chain.
func chainLines(t testing.TB, n int) [][]byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	var c trail.Chain
	writeChain(t, &c, path, 1, n)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return bytes.SplitAfter(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
}

func join(lines [][]byte) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		b.Write(l)
		if !bytes.HasSuffix(l, []byte("\n")) {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}
