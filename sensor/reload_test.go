package sensor

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
)

const untrustedRule = "lab-protocol-to-untrusted"

// TestReloadAppliesDetectionSettings: a reloaded config renames devices already
// known, makes a network trusted for what follows, swaps the rule file, and
// names the sections that wait for a restart instead of applying them.
func TestReloadAppliesDetectionSettings(t *testing.T) {
	path, _ := generate(t, clean(), "reload.pcap")
	alerts, s := collect(t, DefaultConfig(), path)
	require.NotZero(t, countRule(alerts, untrustedRule), "the demo's untrusted host raises the rule")
	known := s.Summary().Inventory[0].IP

	rulesFile := filepath.Join(t.TempDir(), "rules.yaml")
	require.NoError(t, os.WriteFile(rulesFile, []byte("rules:\n  - id: site-rule\n    expression: App == \"hl7\"\n    severity: low\n"), 0o600))
	cfg := DefaultConfig()
	cfg.RulesFile = rulesFile
	cfg.Workers = 3
	cfg.Detect.TimeZone = "Europe/Paris"
	cfg.Detect.Sensor = "renamed"
	cfg.Detect.Devices = []detect.DeviceConfig{{Match: prefix(t, known+"/32"), Name: "chemistry-line", Role: "analyzer"}}
	need, err := s.Reload(cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"sensor", "timezone", "workers"}, need)
	for _, d := range s.Summary().Inventory {
		if d.IP == known {
			assert.Equal(t, "chemistry-line", d.Name, "a known device takes its new name")
			assert.Equal(t, "analyzer", d.Role)
		}
	}
	assert.NotEqual(t, "renamed", s.Summary().Sensor, "the sensor id waits for a restart")

	// Trusting the untrusted host: the same traffic no longer raises the rule;
	// the reloaded rule file's rule does.
	cfg = DefaultConfig()
	cfg.RulesFile = rulesFile
	cfg.Detect.TrustedNetworks = append(cfg.Detect.TrustedNetworks, prefix(t, "198.51.100.0/24"))
	var after []*detect.Alert
	s2, err := New(DefaultConfig(), func(a *detect.Alert) { after = append(after, a) })
	require.NoError(t, err)
	_, err = s2.Reload(cfg)
	require.NoError(t, err)
	r := mustOpen(t, path)
	defer r.Close()
	feed(t, s2, r)
	assert.Zero(t, countRule(after, untrustedRule))
	assert.NotZero(t, countRule(after, "site-rule"))

	// A rule file that no longer parses keeps the running rules.
	require.NoError(t, os.WriteFile(rulesFile, []byte("rules:\n  - id: x\n    expression: App ==\n"), 0o600))
	cfg = DefaultConfig()
	cfg.RulesFile = rulesFile
	_, err = s.Reload(cfg)
	assert.Error(t, err)
}

func countRule(alerts []*detect.Alert, id string) int {
	n := 0
	for _, a := range alerts {
		if a.RuleID == id {
			n++
		}
	}
	return n
}

func prefix(t *testing.T, s string) detect.Prefix {
	p, err := netip.ParsePrefix(s)
	require.NoError(t, err)
	return detect.Prefix{Prefix: p}
}
