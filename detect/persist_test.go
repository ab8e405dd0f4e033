package detect_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/testdata/scenario"
)

// split returns the events before and from t.
func split(events []scenario.Event, t time.Time) (before, after []scenario.Event) {
	for i := range events {
		if !events[i].TS.Before(t) {
			return events[:i], events[i:]
		}
	}
	return events, nil
}

type alertKey struct {
	TS                    time.Time
	Type, Device, Summary string
}

func keys(alerts []*detect.Alert, from time.Time) []alertKey {
	var out []alertKey
	for _, a := range alerts {
		if !a.TS.Before(from) {
			out = append(out, alertKey{a.TS, a.Type, a.Device, a.Summary})
		}
	}
	return out
}

// TestBaselineRoundTrip learns on one run, saves, loads into a new engine and
// judges the rest: the alerts are those of one uninterrupted run.
func TestBaselineRoundTrip(t *testing.T) {
	sc := scenario.Generate(scenario.DefaultOptions())
	cut := sc.Start.Add(sc.Learn + time.Hour)
	learnPart, judgePart := split(sc.Events, cut)
	path := filepath.Join(t.TempDir(), "baseline.lwb")

	first := detect.NewEngine(scenarioConfig(), nil)
	replay(first, learnPart)
	require.NoError(t, first.SaveBaseline(path))

	var second collector
	e := detect.NewEngine(scenarioConfig(), second.sink)
	require.NoError(t, e.LoadBaseline(path))
	assert.False(t, e.Snapshot().Learning, "a loaded complete baseline needs no relearning")
	replay(e, judgePart)

	var whole collector
	replay(detect.NewEngine(scenarioConfig(), whole.sink), sc.Events)

	want := keys(whole.alerts, cut)
	require.NotEmpty(t, want)
	assert.Equal(t, want, keys(second.alerts, cut))

	// Saving again keeps the two devices that appeared after learning.
	require.NoError(t, e.SaveBaseline(path))
	bf, err := detect.ReadBaseline(path)
	require.NoError(t, err)
	assert.Equal(t, 34, len(bf.Devices))
}

func TestLoadBaselineMissingIsFresh(t *testing.T) {
	e := detect.NewEngine(scenarioConfig(), nil)
	require.NoError(t, e.LoadBaseline(filepath.Join(t.TempDir(), "none.lwb")))
	assert.True(t, e.Snapshot().Learning)
}

// savedBaseline learns one scenario day and returns the saved file's bytes.
func savedBaseline(t testing.TB) []byte {
	sc := scenario.Generate(scenario.DefaultOptions())
	day, _ := split(sc.Events, sc.Start.Add(24*time.Hour))
	e := detect.NewEngine(scenarioConfig(), nil)
	replay(e, day)
	path := filepath.Join(t.TempDir(), "b.lwb")
	require.NoError(t, e.SaveBaseline(path))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// TestBaselineRejectsDamage truncates and flips bits in a saved file: every
// damaged file is refused with an error wrapping ErrBaseline, never a panic,
// and the engine stays fresh.
func TestBaselineRejectsDamage(t *testing.T) {
	good := savedBaseline(t)
	dir := t.TempDir()
	try := func(name string, data []byte) error {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		e := detect.NewEngine(scenarioConfig(), nil)
		var err error
		require.NotPanics(t, func() { err = e.LoadBaseline(p) })
		if err != nil {
			assert.ErrorIs(t, err, detect.ErrBaseline)
			assert.True(t, e.Snapshot().Learning, "a rejected baseline leaves the engine fresh")
		}
		return err
	}
	for n := 0; n < len(good); n += max(1, len(good)/60) {
		assert.Error(t, try("trunc", good[:n]), "truncated at %d", n)
	}
	// Bytes 4-9 of a gzip header (time, flags, OS) do not affect the content.
	for i := 10; i < len(good); i += max(1, len(good)/100) {
		bad := bytes.Clone(good)
		bad[i] ^= 1 << (i % 8)
		assert.Error(t, try("flip", bad), "bit flip at %d", i)
	}
	assert.Error(t, try("empty", nil))
	assert.Error(t, try("text", []byte("not a baseline")))
	assert.Error(t, try("version", rewrap(t, good, func(env map[string]any) { env["version"] = 3 })))
	assert.Error(t, try("version 0", rewrap(t, good, func(env map[string]any) { env["version"] = 0 })))
	assert.NoError(t, try("version 1", detect.WrapBaselineVersionForTest(baselineBody(t, good), 1)), "version 1 files still load")
	assert.Error(t, try("sum", rewrap(t, good, func(env map[string]any) { env["sha256"] = strings.Repeat("0", 64) })))
	assert.NoError(t, try("good", good))
}

// baselineBody returns the JSON body of a saved baseline.
func baselineBody(t *testing.T, data []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	var env struct {
		Body json.RawMessage `json:"baseline"`
	}
	require.NoError(t, json.Unmarshal(raw, &env))
	return env.Body
}

// rewrap decodes a baseline's envelope, changes it and compresses it again.
func rewrap(t *testing.T, data []byte, change func(map[string]any)) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	var env map[string]any
	require.NoError(t, json.Unmarshal(raw, &env))
	change(env)
	out, err := json.Marshal(env)
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(out)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestBaselineShow(t *testing.T) {
	bf, err := detect.DecodeBaseline(bytes.NewReader(savedBaseline(t)))
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, bf.WriteText(&out))
	text := out.String()
	assert.Contains(t, text, "10.40.1.20")
	assert.Contains(t, text, "still learning")
	assert.Contains(t, text, "peer -> 10.40.0.11 tcp/2575")
	assert.Contains(t, text, "sends hl7 type ORU^R01")
	assert.Contains(t, text, "Clear-text patient data paths")
}

// TestBaselineSaveHook: state kept beside the baseline (the alert chain's
// head) is saved after every successful save, and its error is the save's.
func TestBaselineSaveHook(t *testing.T) {
	e := detect.NewEngine(scenarioConfig(), nil)
	path := filepath.Join(t.TempDir(), "b.lwb")
	var saved []string
	e.OnBaselineSaved(func(p string) error { saved = append(saved, p); return nil })
	require.NoError(t, e.SaveBaseline(path))
	assert.Equal(t, []string{path}, saved)
	e.OnBaselineSaved(func(string) error { return os.ErrPermission })
	assert.ErrorIs(t, e.SaveBaseline(path), os.ErrPermission)
	assert.Error(t, e.SaveBaseline(filepath.Join(t.TempDir(), "missing", "b.lwb")))
}
