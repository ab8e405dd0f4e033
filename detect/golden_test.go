package detect_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/testdata/scenario"
)

// goldenAlert is the part of an alert the golden file pins: what, who, when,
// how bad and how often; summaries may be reworded freely.
type goldenAlert struct {
	TS       time.Time       `json:"ts"`
	Type     string          `json:"type"`
	Severity detect.Severity `json:"severity"`
	Device   string          `json:"device"`
	DstIP    string          `json:"dst_ip,omitempty"`
	DstPort  uint16          `json:"dst_port,omitempty"`
	Count    int             `json:"count"`
}

type golden struct {
	AlertsByType map[string]int `json:"alerts_by_type"`
	Judged       []goldenAlert  `json:"judged_alerts"`
}

// TestGoldenScenarioAlerts pins every alert of the default scenario after the
// learning window, and the count of each type over the whole run.
func TestGoldenScenarioAlerts(t *testing.T) {
	sc := scenario.Generate(scenario.DefaultOptions())
	var c collector
	e := detect.NewEngine(scenarioConfig(), c.sink)
	replay(e, sc.Events)
	ids := map[string]bool{}
	for _, a := range c.alerts {
		assert.False(t, ids[a.ID], "duplicate alert id %s", a.ID)
		ids[a.ID] = true
		assert.Equal(t, "test-sensor", a.Sensor)
		assert.NotEmpty(t, a.Summary)
		assert.NotEmpty(t, a.Details)
	}
	got := golden{AlertsByType: map[string]int{}}
	judged := sc.Start.Add(sc.Learn)
	for _, a := range c.alerts {
		got.AlertsByType[a.Type]++
		if !a.TS.Before(judged) {
			got.Judged = append(got.Judged, goldenAlert{a.TS.UTC(), a.Type, a.Severity, a.Device, a.DstIP, a.DstPort, a.Count})
		}
	}
	path := filepath.Join("testdata", "golden", "scenario_alerts.json")
	if *update {
		data, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, append(data, '\n'), 0o644))
		return
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to write the golden file")
	var want golden
	require.NoError(t, json.Unmarshal(data, &want))
	assert.Equal(t, want.AlertsByType, got.AlertsByType)
	assert.Equal(t, want.Judged, got.Judged)
}
