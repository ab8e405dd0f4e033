package detect_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"labwatch/detect"
	"labwatch/internal/testfs"
)

// faultDir is a 1 MiB tmpfs holding a good baseline at b.lwb; it returns the
// directory, the baseline's path and its bytes.
func faultDir(t *testing.T) (dir, path string, good []byte) {
	dir = testfs.Small(t, 1<<20)
	good = savedBaseline(t)
	path = filepath.Join(dir, "b.lwb")
	require.NoError(t, os.WriteFile(path, good, 0o600))
	return dir, path, good
}

// requireOnlyBaseline checks that a failed save left the old file whole and
// loadable, and no temporary file beside it.
func requireOnlyBaseline(t *testing.T, dir, path string, good []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, good, got, "the old baseline is untouched")
	_, err = detect.ReadBaseline(path)
	require.NoError(t, err, "the old baseline still loads")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() != filepath.Base(path) && e.Name() != ".testfs-filler" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestSaveBaselineDiskFullOrReadOnly saves over a good baseline on a full and
// on a read-only filesystem: the save fails naming the path and the cause, the
// old file stays, no temporary file is left; with room back the save works.
func TestSaveBaselineDiskFullOrReadOnly(t *testing.T) {
	dir, path, good := faultDir(t)
	e := detect.NewEngine(scenarioConfig(), nil)
	require.NoError(t, e.LoadBaseline(path))

	testfs.Fill(t, dir)
	err := e.SaveBaseline(path)
	require.ErrorIs(t, err, unix.ENOSPC)
	assert.Contains(t, err.Error(), path)
	requireOnlyBaseline(t, dir, path, good)

	testfs.Free(t, dir, -1)
	testfs.ReadOnly(t, dir)
	err = e.SaveBaseline(path)
	require.ErrorIs(t, err, unix.EROFS)
	assert.Contains(t, err.Error(), path)
	requireOnlyBaseline(t, dir, path, good)

	testfs.Writable(t, dir)
	require.NoError(t, e.SaveBaseline(path))
	_, err = detect.ReadBaseline(path)
	require.NoError(t, err)
}

// TestPeriodicSaveRetriesAfterDiskFull: the periodic save on a full disk
// counts baseline_save_failed and keeps the old file; the next period, with
// room back, saves.
func TestPeriodicSaveRetriesAfterDiskFull(t *testing.T) {
	defer detect.SetMinSaveWallForTest(0)()
	dir, path, good := faultDir(t)
	cfg := scenarioConfig()
	cfg.BaselineSaveEvery = time.Minute
	e := detect.NewEngine(cfg, nil)
	require.NoError(t, e.LoadBaseline(path))
	start := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	e.Tick(start) // the first tick starts the period

	testfs.Fill(t, dir)
	e.Tick(start.Add(time.Minute))
	require.ErrorIs(t, e.LastSaveError(), unix.ENOSPC)
	assert.Equal(t, uint64(1), e.Snapshot().Dropped["baseline_save_failed"])
	requireOnlyBaseline(t, dir, path, good)
	e.Tick(start.Add(90 * time.Second))
	assert.Equal(t, uint64(1), e.Snapshot().Dropped["baseline_save_failed"], "no retry before the period ends")

	testfs.Free(t, dir, -1)
	e.Tick(start.Add(2 * time.Minute))
	require.NoError(t, e.LastSaveError())
	bf, err := detect.ReadBaseline(path)
	require.NoError(t, err)
	assert.Equal(t, start.Add(2*time.Minute), bf.Saved.UTC(), "the retry wrote the new state")
	assert.Equal(t, uint64(1), e.Snapshot().Dropped["baseline_save_failed"])
}
