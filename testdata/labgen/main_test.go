package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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
