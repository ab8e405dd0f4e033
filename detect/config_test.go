package detect_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
)

func TestConfigValidate(t *testing.T) {
	ok := detect.DefaultConfig()
	require.NoError(t, ok.Validate())
	cases := map[string]func(c *detect.Config){
		"timezone":             func(c *detect.Config) { c.TimeZone = "Mars/Olympus" },
		"learn":                func(c *detect.Config) { c.Learn = -time.Hour },
		"max_peers_per_device": func(c *detect.Config) { c.MaxPeersPerDevice = 0 },
		"dedup_window":         func(c *detect.Config) { c.DedupWindow = 0 },
		"volume_sigmas":        func(c *detect.Config) { c.VolumeSigmas = -1 },
		"baseline_save_every":  func(c *detect.Config) { c.BaselineSaveEvery = -time.Second },
		"scan_targets":         func(c *detect.Config) { c.ScanTargets = -3 },
	}
	for key, change := range cases {
		c := detect.DefaultConfig()
		change(&c)
		err := c.Validate()
		if assert.Error(t, err, key) {
			assert.Contains(t, err.Error(), key)
		}
	}
}

// TestPeriodicSave: Tick saves the baseline to the file LoadBaseline was given.
func TestPeriodicSave(t *testing.T) {
	defer detect.SetMinSaveWallForTest(0)()
	path := filepath.Join(t.TempDir(), "b.lwb")
	cfg := detect.DefaultConfig()
	cfg.BaselineSaveEvery = time.Minute
	e := detect.NewEngine(cfg, nil)
	require.NoError(t, e.LoadBaseline(path))
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	e.FlowStart(&app.Flow{Transport: app.TCP, Start: start,
		Client: ap(addrA, 50000), Server: ap(addrE, 2575)})
	for s := 0; s <= 120; s++ {
		e.Tick(start.Add(time.Duration(s) * time.Second))
	}
	require.NoError(t, e.LastSaveError())
	_, err := os.Stat(path)
	require.NoError(t, err, "saved without waiting for exit")
	bf, err := detect.ReadBaseline(path)
	require.NoError(t, err)
	assert.Len(t, bf.Devices, 1)
	assert.Equal(t, "10.1.0.5", bf.Devices[0].IP)
}
