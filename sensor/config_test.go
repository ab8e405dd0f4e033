package sensor

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigDefaultsAndOverrides(t *testing.T) {
	cfg := DefaultConfig()
	require.NoError(t, ParseConfig([]byte(`
sensor: lab-a
timezone: Europe/Berlin
learn: 48h
trusted_networks: [10.40.0.0/16]
devices:
  - {match: 10.40.0.5, name: lis-prod, role: lis}
  - {match: 10.40.2.0/24, name: chemistry, role: analyzer}
capture:
  flows:
    max: 500
    tcp_idle: 5m
`), &cfg))
	assert.Equal(t, "lab-a", cfg.Detect.Sensor)
	assert.Equal(t, 48*time.Hour, cfg.Detect.Learn)
	require.Len(t, cfg.Detect.TrustedNetworks, 1, "a given list replaces the defaults")
	assert.Equal(t, "10.40.0.0/16", cfg.Detect.TrustedNetworks[0].String())
	assert.Equal(t, 500, cfg.Capture.Flows.Max)
	assert.Equal(t, 5*time.Minute, cfg.Capture.Flows.TCPIdle)
	assert.Equal(t, 30*time.Second, cfg.Capture.Flows.TCPClosed, "unset keys keep their defaults")
	name, role := cfg.Detect.DeviceInfo(mustAddr("10.40.2.7"))
	assert.Equal(t, [2]string{"chemistry", "analyzer"}, [2]string{name, role})
	name, _ = cfg.Detect.DeviceInfo(mustAddr("10.40.0.5"))
	assert.Equal(t, "lis-prod", name)
	assert.True(t, cfg.Detect.Trusted(mustAddr("10.40.9.9")))
	assert.False(t, cfg.Detect.Trusted(mustAddr("192.168.1.1")))
}

func TestConfigErrorsNameKeyAndLine(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "sensor: a\ntrusted_netwrks: [10.0.0.0/8]\n", []string{"trusted_netwrks", "2:"}},
		{"unknown nested key", "capture:\n  flows:\n    maxx: 3\n", []string{"maxx", "3:"}},
		{"bad network", "trusted_networks:\n  - 10.0.0.0/8\n  - 10.0.0/33x\n", []string{"10.0.0/33x", "3:"}},
		{"bad duration", "capture:\n  flows:\n    tcp_idle: soon\n", []string{"3:"}},
		{"wrong type", "max_devices: many\n", []string{"1:"}},
		{"out of range", "capture:\n  flows:\n    max: -1\n", []string{"capture.flows.max"}},
		{"bad time zone", "timezone: Mars/Olympus\n", []string{"timezone", "Mars/Olympus"}},
		// go-yaml panics on a tag before a sequence's value (found by fuzzing).
		{"tag on a list", "trusted_networks: !00000000000000 \n", []string{"not valid YAML"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			err := ParseConfig([]byte(c.yaml), &cfg)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadConfigNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(path, []byte("bogus: 1\n"), 0o600))
	_, err := LoadConfig(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "site.yaml")
	assert.Contains(t, err.Error(), "bogus")
	_, err = LoadConfig(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.ErrorContains(t, err, "missing.yaml")
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestConfigProtocolSections(t *testing.T) {
	cfg := DefaultConfig()
	require.NoError(t, ParseConfig([]byte("protocols:\n  hl7:\n    ack_timeout: 1m\n  astm:\n    max_violations: 4\n"), &cfg))
	assert.Equal(t, time.Minute, cfg.Protocols.HL7.AckTimeout)
	assert.Equal(t, 4, cfg.Protocols.ASTM.MaxViolations)
	assert.Equal(t, 8, cfg.Protocols.HL7.MaxViolations, "unset keys keep their defaults")

	cfg = DefaultConfig()
	err := ParseConfig([]byte("protocols:\n  hl7:\n    max_segments: -3\n"), &cfg)
	assert.ErrorContains(t, err, "max_segments")
}
