package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/internal/lockedbuf"
)

// TestSighupReloadsConfig runs a replay that waits on standard input and sends
// it SIGHUP three times: a broken config is refused and the running one stays,
// a good one is applied and the sections needing a restart are named, and the
// run still ends normally with its summary.
func TestSighupReloadsConfig(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "site.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte("sensor: lab1\n"), 0o600))
	sum := filepath.Join(dir, "summary.json")
	cmd := exec.Command(binary, "replay", "--progress=never", "--log-level", "debug", "--config", cfgPath, "--summary", sum, "-")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	var errb lockedbuf.Buffer
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	pcap, err := os.ReadFile(demo)
	require.NoError(t, err)
	_, err = stdin.Write(pcap[:len(pcap)/2]) // the reader then waits for more
	require.NoError(t, err)
	require.Eventually(t, func() bool { return strings.Contains(errb.String(), "SIGHUP reloads") },
		10*time.Second, 20*time.Millisecond, "signal handlers installed")

	hangup := func(config, wantLog string) {
		t.Helper()
		require.NoError(t, os.WriteFile(cfgPath, []byte(config), 0o600))
		before := strings.Count(errb.String(), wantLog)
		require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
		require.Eventually(t, func() bool { return strings.Count(errb.String(), wantLog) > before },
			5*time.Second, 20*time.Millisecond, "log %q after SIGHUP; stderr: %s", wantLog, errb.String())
	}
	hangup("sensor: lab1\ntrusted_networks: [10.0.0.0/33]\n", "not reloaded; the running configuration and rules stay")
	assert.Contains(t, errb.String(), "10.0.0.0/33", "the error names the bad value")
	hangup("sensor: lab1\ntrusted_networks: [10.0.0.0/8, 198.51.100.0/24]\ndevices:\n  - {match: 10.40.0.5, name: lis, role: lis}\n",
		"configuration and rules reloaded")
	hangup("sensor: lab1\nworkers: 2\ntimezone: Europe/Paris\n", "only take effect after a restart")
	assert.Regexp(t, `"sections":\["timezone","workers"\]`, errb.String())

	_, err = stdin.Write(pcap[len(pcap)/2:])
	require.NoError(t, err)
	require.NoError(t, stdin.Close())
	require.NoError(t, cmd.Wait(), errb.String())
	s := readSummary(t, sum)
	assert.EqualValues(t, demoTru.Packets, s["packets"], "the whole capture was processed across the reloads")
	assert.Equal(t, "lab1", s["sensor"])
}
