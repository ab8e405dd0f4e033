package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/internal/testfs"
)

// requireNoTempFiles checks that a failed save left nothing beside the
// files the run was asked to write.
func requireNoTempFiles(t *testing.T, dir string, allowed ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() != ".testfs-filler" && !slices.Contains(allowed, e.Name()) {
			t.Errorf("left behind in %s: %s", dir, e.Name())
		}
	}
}

// TestReplayOnFullDisk replays with the baseline and the alert file on a full
// tmpfs and the summary elsewhere: every packet is processed, the summary is
// written, the exit status is 1 and the message names both files and the
// cause; with room back the same command succeeds and the alert file verifies.
func TestReplayOnFullDisk(t *testing.T) {
	dir := testfs.Small(t, 1<<20)
	baseline, alerts := filepath.Join(dir, "b.lwb"), filepath.Join(dir, "a.jsonl")
	sum := filepath.Join(t.TempDir(), "s.json")
	args := []string{"replay", "--progress=never", "--baseline", baseline, "--alerts", alerts, "--summary", sum, demo}

	testfs.Fill(t, dir)
	r := labwatch(t, nil, args...)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "saving baseline "+baseline)
	assert.Contains(t, r.stderr, "alerts file: write "+alerts)
	assert.Contains(t, r.stderr, "no space left on device")
	assert.NotContains(t, r.stderr, "panic")
	s := readSummary(t, sum)
	assert.EqualValues(t, demoTru.Packets, s["packets"], "everything was processed and the summary written")
	requireNoTempFiles(t, dir, "a.jsonl")
	_, err := os.Stat(baseline)
	assert.ErrorIs(t, err, os.ErrNotExist, "no half-written baseline")

	testfs.Free(t, dir, -1)
	r = labwatch(t, nil, args...)
	require.Equal(t, 0, r.code, r.stderr)
	v := labwatch(t, nil, "verify", alerts)
	assert.Equal(t, 0, v.code, v.stdout+v.stderr)
	assert.Contains(t, v.stdout, "chain intact")
	requireNoTempFiles(t, dir, "a.jsonl", "b.lwb", "b.lwb.trail")
}

// TestReplayOnReadOnlyDisk: a baseline on a read-only filesystem fails at
// exit (processing and summary done, exit 1 naming file and cause, the old
// baseline intact); an alert file there is refused at start with the same
// clarity, before any work.
func TestReplayOnReadOnlyDisk(t *testing.T) {
	dir := testfs.Small(t, 1<<20)
	baseline := filepath.Join(dir, "b.lwb")
	sum := filepath.Join(t.TempDir(), "s.json")
	r := labwatch(t, nil, "replay", "--progress=never", "--baseline", baseline, demo)
	require.Equal(t, 0, r.code, r.stderr)
	good, err := os.ReadFile(baseline)
	require.NoError(t, err)

	testfs.ReadOnly(t, dir)
	r = labwatch(t, nil, "replay", "--progress=never", "--baseline", baseline, "--summary", sum, demo)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "saving baseline "+baseline)
	assert.Contains(t, r.stderr, "read-only file system")
	assert.EqualValues(t, demoTru.Packets, readSummary(t, sum)["packets"])
	kept, err := os.ReadFile(baseline)
	require.NoError(t, err)
	assert.Equal(t, good, kept, "the old baseline is intact")

	alerts := filepath.Join(dir, "a.jsonl")
	r = labwatch(t, nil, "replay", "--progress=never", "--alerts", alerts, demo)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "alerts file: open "+alerts+": read-only file system")
}

// TestVerifyReportsATornLastLine: an alert file whose last line a full disk
// or a crash cut short fails verify with a message that says so, and how many
// alerts before it are intact.
func TestVerifyReportsATornLastLine(t *testing.T) {
	alerts := filepath.Join(t.TempDir(), "a.jsonl")
	r := labwatch(t, nil, "replay", "--progress=never", "--alerts", alerts, demo)
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(alerts)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(alerts, data[:len(data)-40], 0o600))
	v := labwatch(t, nil, "verify", alerts)
	assert.Equal(t, 1, v.code)
	assert.Contains(t, v.stderr, "cut short")
	assert.Contains(t, v.stderr, "alerts in order before it")
	t.Log(v.stderr)
}
