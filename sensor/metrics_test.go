package sensor

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/output"
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

// TestOutputMetrics scrapes a sensor with a syslog output and an alert file:
// every output counter is exported under its output label (a scrape once
// panicked on output counters that had no description).
func TestOutputMetrics(t *testing.T) {
	path, _ := generate(t, clean(), "o.pcap")
	s := run(t, DefaultConfig(), path)
	dir := t.TempDir()
	sys, err := output.NewSyslog(output.SyslogConfig{Name: "siem", URL: "udp://127.0.0.1:9", QueueDir: dir}, zerolog.Nop())
	require.NoError(t, err)
	defer sys.Close()
	file, err := output.OpenJSONLines(filepath.Join(dir, "alerts.jsonl"))
	require.NoError(t, err)
	defer file.Close()
	s.SetOutputs([]*output.Syslog{sys})
	s.SetAlertFile(file)

	reg := prometheus.NewRegistry()
	require.NoError(t, s.RegisterMetrics(reg))
	families, err := reg.Gather()
	require.NoError(t, err)
	labels := map[string][]string{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "output" {
					labels[f.GetName()] = append(labels[f.GetName()], l.GetValue())
				}
			}
		}
	}
	for _, name := range []string{"labwatch_output_sent_total", "labwatch_output_dropped_total", "labwatch_output_disk_dropped_total"} {
		assert.ElementsMatch(t, []string{"siem", "alerts_file"}, labels[name], name)
	}
	for _, name := range []string{"labwatch_output_queued_total", "labwatch_output_retried_total", "labwatch_output_queue_messages"} {
		assert.Equal(t, []string{"siem"}, labels[name], name)
	}
}

// TestDetectDropsAreMetrics: what detection refuses at a cap (here, devices
// past max_devices) is exported by reason, like a failed periodic save.
func TestDetectDropsAreMetrics(t *testing.T) {
	path, _ := generate(t, clean(), "d.pcap")
	cfg := DefaultConfig()
	cfg.Detect.MaxDevices = 2
	s := run(t, cfg, path)
	reg := prometheus.NewRegistry()
	require.NoError(t, s.RegisterMetrics(reg))
	families, err := reg.Gather()
	require.NoError(t, err)
	var reasons []string
	for _, f := range families {
		if f.GetName() == "labwatch_detect_dropped_total" {
			for _, m := range f.GetMetric() {
				reasons = append(reasons, m.GetLabel()[0].GetValue())
				assert.Positive(t, m.GetCounter().GetValue())
			}
		}
	}
	assert.Contains(t, reasons, "devices_over_cap")
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
