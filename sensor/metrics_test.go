package sensor

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/testdata/gen"
)

func TestMetricsAfterReplay(t *testing.T) {
	path, truth := generate(t, clean(), "m.pcap")
	s := run(t, DefaultConfig(), path)

	reg := prometheus.NewRegistry()
	require.NoError(t, s.RegisterMetrics(reg))
	n, err := testutil.GatherAndCount(reg)
	require.NoError(t, err)
	assert.Greater(t, n, 20)

	want := strings.NewReader(`
# HELP labwatch_capture_packets_total Packets read.
# TYPE labwatch_capture_packets_total counter
labwatch_capture_packets_total ` + itoa(truth.Packets) + `
`)
	assert.NoError(t, testutil.GatherAndCompare(reg, want, "labwatch_capture_packets_total"))

	families, err := reg.Gather()
	require.NoError(t, err)
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
		assert.True(t, strings.HasPrefix(f.GetName(), "labwatch_"), f.GetName())
	}
	for _, n := range []string{"labwatch_protocols_messages_total", "labwatch_capture_flows_total",
		"labwatch_detect_devices", "labwatch_capture_undecoded_packets_total"} {
		assert.True(t, names[n], "metric %s exported", n)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestNoPatientValueInMetricsOrSummary scans the exported metrics and the summary
// of a capture full of fictional patients for every planted value.
func TestNoPatientValueInMetricsOrSummary(t *testing.T) {
	path, truth := generate(t, gen.Demo(), "phi.pcap")
	s := run(t, DefaultConfig(), path)
	reg := prometheus.NewRegistry()
	require.NoError(t, s.RegisterMetrics(reg))
	families, err := reg.Gather()
	require.NoError(t, err)
	var text strings.Builder
	for _, f := range families {
		text.WriteString(f.String())
	}
	sum, err := json.Marshal(s.Summary())
	require.NoError(t, err)
	text.Write(sum)
	require.NotEmpty(t, truth.Planted)
	for _, v := range truth.Planted {
		if len(v) >= 4 {
			assert.NotContains(t, text.String(), v)
		}
	}
}
