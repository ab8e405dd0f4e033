package testfs

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestFillFreeAndReadOnly(t *testing.T) {
	dir := Small(t, 64<<10)
	n := Fill(t, dir)
	assert.InDelta(t, 64<<10, n, 4096, "the filler takes the whole tmpfs")
	err := os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o600)
	require.ErrorIs(t, err, unix.ENOSPC)

	Free(t, dir, 8192)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x"), make([]byte, 8192), 0o600))
	Free(t, dir, -1)
	_, err = os.Stat(filepath.Join(dir, fillerName))
	require.ErrorIs(t, err, os.ErrNotExist)

	ReadOnly(t, dir)
	err = os.WriteFile(filepath.Join(dir, "y"), []byte("y"), 0o600)
	require.ErrorIs(t, err, unix.EROFS)
	Writable(t, dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "y"), []byte("y"), 0o600))
}

func TestExt4BreakAndRepair(t *testing.T) {
	dir := Ext4(t, 8<<20)
	f, err := os.Create(filepath.Join(dir, "open"))
	require.NoError(t, err)
	_, err = f.WriteString("before\n")
	require.NoError(t, err)
	require.NoError(t, f.Sync())

	Break(t, dir)
	_, err = f.WriteString("after\n")
	if err == nil {
		err = f.Sync()
	}
	require.ErrorIs(t, err, unix.EROFS, "an open file turns read-only too")
	f.Close()

	Repair(t, dir)
	data, err := os.ReadFile(filepath.Join(dir, "open"))
	require.NoError(t, err)
	assert.Equal(t, "before\n", string(data), "what was synced survives")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "new"), []byte("x"), 0o600))
}
