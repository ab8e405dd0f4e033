package detect_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/capture/pcapfile"
	"labwatch/detect"
	"labwatch/sensor"
	"labwatch/testdata/gen"
)

// softwareGolden is what the software golden files pin: every identity per
// device (without times) and the version_change and insecure_protocol alerts.
type softwareGolden struct {
	Software map[string][]string `json:"software"`
	Alerts   []string            `json:"alerts"`
}

// replayCapture runs a capture through a whole sensor (capture, protocols,
// detection) and returns its inventory and alerts.
func replayCapture(t *testing.T, path string, cfg sensor.Config) ([]detect.Device, []*detect.Alert) {
	t.Helper()
	var c collector
	s, err := sensor.New(cfg, c.sink)
	require.NoError(t, err)
	r, err := pcapfile.Open([]string{path})
	require.NoError(t, err)
	defer r.Close()
	r.Each(s.Packet)
	require.NoError(t, s.Close())
	return s.Summary().Inventory, c.alerts
}

func softwareView(devs []detect.Device, alerts []*detect.Alert) softwareGolden {
	g := softwareGolden{Software: map[string][]string{}, Alerts: []string{}}
	for _, d := range devs {
		for _, s := range d.Software {
			g.Software[d.IP] = append(g.Software[d.IP], fmt.Sprintf("%s %s [%s] %s (%d)", s.App, s.Kind, s.Context, s.Value, s.Count))
		}
	}
	for _, a := range alerts {
		switch a.Type {
		case detect.AlertVersionChange:
			g.Alerts = append(g.Alerts, fmt.Sprintf("%s %s %s %v -> %v", a.Type, a.Severity, a.Device, a.Details["expected"], a.Details["seen"]))
		case detect.AlertInsecureProtocol:
			g.Alerts = append(g.Alerts, fmt.Sprintf("%s %s %s %v", a.Type, a.Severity, a.Device, a.Details["protocol"]))
		}
	}
	sort.Strings(g.Alerts)
	return g
}

// TestGoldenSoftware pins the software identities and insecure protocols the
// whole pipeline (capture, protocols, detection) finds in the generated demo
// lab. The public captures use loopback and public addresses, which are
// never devices; their HL7 and ASTM samples are checked by
// TestGoldenCorpusSoftware.
func TestGoldenSoftware(t *testing.T) {
	t.Setenv("TZ", "UTC")
	data, _, err := gen.Capture(gen.Demo())
	require.NoError(t, err)
	demo := filepath.Join(t.TempDir(), "demo.pcapng")
	require.NoError(t, os.WriteFile(demo, data, 0o600))
	got := softwareView(replayCapture(t, demo, sensor.DefaultConfig()))
	golden := filepath.Join("testdata", "golden", "software_demo.json")
	if *update {
		out, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(golden, append(out, '\n'), 0o644))
		return
	}
	raw, err := os.ReadFile(golden)
	require.NoError(t, err, "run with -update to write it")
	var want softwareGolden
	require.NoError(t, json.Unmarshal(raw, &want))
	assert.Equal(t, want, got)
	assert.NotEmpty(t, got.Software["10.40.2.14"], "ASTM analyzer firmware")
	assert.Contains(t, got.Alerts, "insecure_protocol high 10.40.1.10 hl7_cleartext", "send-outs to the reference lab")
}
