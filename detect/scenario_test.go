package detect_test

import (
	"encoding/json"
	"flag"
	"os"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/testdata/scenario"
)

var update = flag.Bool("update", false, "rewrite testdata/scenario_results.json and golden files")

const resultsFile = "testdata/scenario_results.json"

// scenarioSeeds are the lab runs measured: ten days each (three learned, seven
// judged, a weekend among them), same injections, different noise.
var scenarioSeeds = []uint64{1, 2, 3, 4, 5, 6, 7, 8}

// TestScenarioRecall runs the generated lab weeks and checks recall and false
// alarms per alert type against the recorded numbers: they may only improve.
func TestScenarioRecall(t *testing.T) {
	got := map[string]*typeScore{}
	for _, seed := range scenarioSeeds {
		o := scenario.DefaultOptions()
		o.Seed = seed
		o.Days = 10
		sc := scenario.Generate(o)
		var c collector
		e := detect.NewEngine(scenarioConfig(), c.sink)
		replay(e, sc.Events)
		scores, falseAlarms := score(sc, c.alerts)
		for _, f := range falseAlarms {
			t.Logf("seed %d: false alarm: %s", seed, f)
		}
		for k, s := range scores {
			if got[k] == nil {
				got[k] = &typeScore{}
			}
			got[k].Injected += s.Injected
			got[k].Detected += s.Detected
			got[k].FalseAlarms += s.FalseAlarms
		}
	}
	types := make([]string, 0, len(got))
	for k := range got {
		types = append(types, k)
	}
	sort.Strings(types)
	for _, k := range types {
		s := got[k]
		t.Logf("%-22s injected %2d detected %2d false alarms %2d", k, s.Injected, s.Detected, s.FalseAlarms)
	}
	if *update {
		data, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(resultsFile, append(data, '\n'), 0o644))
		return
	}
	data, err := os.ReadFile(resultsFile)
	require.NoError(t, err, "run with -update to record the results")
	var want map[string]*typeScore
	require.NoError(t, json.Unmarshal(data, &want))
	for k, w := range want {
		g := got[k]
		if g == nil {
			g = &typeScore{}
		}
		assert.Equal(t, w.Injected, g.Injected, "%s: injected", k)
		assert.GreaterOrEqual(t, g.Detected, w.Detected, "%s: recall regressed", k)
		assert.LessOrEqual(t, g.FalseAlarms, w.FalseAlarms, "%s: more false alarms", k)
	}
	for k, g := range got {
		if want[k] == nil {
			assert.Zero(t, g.FalseAlarms, "%s: false alarms of a type never recorded", k)
		}
	}
}
