package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/testdata/gen"
)

func TestRunWritesTheDemoAndPrintsCountsOnly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "demo.pcapng")
	var out bytes.Buffer
	require.NoError(t, run([]string{"-profile", "demo", "-o", file}, &out))

	o := gen.Demo()
	o.PcapNG = true
	want, truth, err := gen.Capture(o)
	require.NoError(t, err)
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(want, got), "the command writes what Generate writes")

	var s gen.Summary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s))
	assert.Equal(t, truth.Packets, s.Packets)
	assert.Equal(t, len(truth.Planted), s.Planted)
	for _, v := range truth.Planted {
		assert.NotContains(t, out.String(), v, "patient value printed")
	}
}

func TestRunOptions(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-profile", "bench", "-packets", "3000", "-seed", "9", "-link", "raw", "-o", filepath.Join(dir, "b.pcap")}, &out))
	var s gen.Summary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s))
	assert.GreaterOrEqual(t, s.Packets, 3000)

	for _, args := range [][]string{
		{},
		{"-o", filepath.Join(dir, "x.pcap"), "extra"},
		{"-profile", "nope", "-o", filepath.Join(dir, "x.pcap")},
		{"-link", "fddi", "-o", filepath.Join(dir, "x.pcap")},
		{"-o", filepath.Join(dir, "missing", "x.pcap")},
	} {
		assert.Error(t, run(args, &out), "%v", args)
	}
}

// TestRunConcurrentSetsTheOpenFlows checks that -concurrent reaches the truth:
// the flows open at once climb to the asked number and never past it.
func TestRunConcurrentSetsTheOpenFlows(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{50, 400} {
		var out bytes.Buffer
		args := []string{"-profile", "bench", "-packets", "40000", "-concurrent", strconv.Itoa(n), "-o", filepath.Join(dir, "c.pcap")}
		require.NoError(t, run(args, &out))
		var s gen.Summary
		require.NoError(t, json.Unmarshal(out.Bytes(), &s))
		assert.Equal(t, n, s.MaxConcurrent, "-concurrent %d", n)
		assert.Greater(t, s.Flows, n, "flows close and new ones open")
	}
	for _, bad := range []string{"-1", "200001"} {
		err := run([]string{"-profile", "bench", "-concurrent", bad, "-o", filepath.Join(dir, "x.pcap")}, io.Discard)
		assert.ErrorContains(t, err, "ConcurrentFlows", "-concurrent %s", bad)
	}
}

// TestRunReachesTheFlatMemoryConcurrency checks that the capture of `make
// bench-memory` really holds 10,000 flows open at once, once its first million
// packets have ramped up (the output is thrown away: ~430 MB).
func TestRunReachesTheFlatMemoryConcurrency(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a million packets")
	}
	var out bytes.Buffer
	require.NoError(t, run([]string{"-profile", "bench", "-packets", "1000000", "-concurrent", "10000", "-o", os.DevNull}, &out))
	var s gen.Summary
	require.NoError(t, json.Unmarshal(out.Bytes(), &s))
	assert.Equal(t, 10_000, s.MaxConcurrent)
}
