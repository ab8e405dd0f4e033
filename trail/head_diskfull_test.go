package trail_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"labwatch/internal/testfs"
	"labwatch/trail"
)

// TestSaveHeadDiskFullOrReadOnly saves a chain head over an older one on a
// full and on a read-only filesystem: the save fails naming the path and the
// cause, the old head stays readable, no temporary file is left; with room
// back the new head is saved.
func TestSaveHeadDiskFullOrReadOnly(t *testing.T) {
	dir := testfs.Small(t, 64<<10)
	path := filepath.Join(dir, "b.lwb.trail")
	var c trail.Chain
	for i := range 3 {
		c.Seal(sampleAlert(i))
	}
	require.NoError(t, c.SaveHead(path))
	old := c.Head()
	c.Seal(sampleAlert(3))

	checkOld := func(t *testing.T) {
		h, err := trail.ReadHead(path)
		require.NoError(t, err)
		assert.Equal(t, old, h, "the old head is intact")
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			if e.Name() != filepath.Base(path) && e.Name() != ".testfs-filler" {
				t.Errorf("left behind: %s", e.Name())
			}
		}
	}

	testfs.Fill(t, dir)
	err := c.SaveHead(path)
	require.ErrorIs(t, err, unix.ENOSPC)
	assert.Contains(t, err.Error(), path)
	checkOld(t)

	testfs.Free(t, dir, -1)
	testfs.ReadOnly(t, dir)
	err = c.SaveHead(path)
	require.ErrorIs(t, err, unix.EROFS)
	assert.Contains(t, err.Error(), path)
	checkOld(t)

	testfs.Writable(t, dir)
	require.NoError(t, c.SaveHead(path))
	h, err := trail.ReadHead(path)
	require.NoError(t, err)
	assert.Equal(t, c.Head(), h)
	assert.Equal(t, uint64(4), h.Seq)
}
