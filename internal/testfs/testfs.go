// Package testfs gives tests a small filesystem of their own to fault: a tmpfs
// mounted by the test, filled until the kernel says ENOSPC, or remounted
// read-only. Faults are real (the kernel refuses the write), not mocks.
//
// Mounting needs CAP_SYS_ADMIN; without it, or where the kernel refuses the
// mount (an unprivileged container), the test is skipped with the reason.
package testfs

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// fillerName is the file Fill writes in a directory to use up its space.
const fillerName = ".testfs-filler"

// Small mounts a tmpfs of size bytes (rounded up to pages by the kernel) on a
// new temporary directory and unmounts it when the test ends.
func Small(t testing.TB, size int) string {
	t.Helper()
	if size <= 0 {
		t.Fatalf("testfs: size %d: tmpfs takes size=0 as no limit", size)
	}
	dir := t.TempDir()
	opts := "size=" + strconv.Itoa(size) + ",mode=0700"
	if err := unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, opts); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root / CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() {
		// Lazy: a file the code under test still holds open must not fail the test.
		if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
			t.Errorf("testfs: unmount %s: %v", dir, err)
		}
	})
	return dir
}

// Fill writes one file in dir until the filesystem answers ENOSPC, so that the
// next write of any size fails. It returns how many bytes the filler holds.
func Fill(t testing.TB, dir string) int64 {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, fillerName), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatalf("testfs: filler: %v", err)
	}
	defer f.Close()
	page := make([]byte, 4096)
	var n int64
	// Pages first, then single bytes: tmpfs counts pages, so once a one-byte
	// write fails nothing is left.
	for _, chunk := range [][]byte{page, page[:1]} {
		for {
			w, err := f.Write(chunk)
			n += int64(w)
			if errors.Is(err, unix.ENOSPC) {
				break
			}
			if err != nil {
				t.Fatalf("testfs: filling %s: %v", dir, err)
			}
		}
	}
	return n
}

// Free gives back bytes of the filler Fill wrote in dir (all of it when bytes
// is negative or more than it holds).
func Free(t testing.TB, dir string, bytes int64) {
	t.Helper()
	path := filepath.Join(dir, fillerName)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("testfs: no filler in %s: %v", dir, err)
	}
	if bytes < 0 || bytes >= info.Size() {
		if err := os.Remove(path); err != nil {
			t.Fatalf("testfs: %v", err)
		}
		return
	}
	if err := os.Truncate(path, info.Size()-bytes); err != nil {
		t.Fatalf("testfs: %v", err)
	}
}

// ReadOnly remounts the tmpfs at dir read-only. The kernel refuses (EBUSY)
// while any file on it is open for writing.
func ReadOnly(t testing.TB, dir string) {
	t.Helper()
	if err := remount(dir, unix.MS_RDONLY); err != nil {
		t.Fatalf("testfs: remount %s read-only: %v", dir, err)
	}
}

// Writable remounts the tmpfs at dir read-write.
func Writable(t testing.TB, dir string) {
	t.Helper()
	if err := remount(dir, 0); err != nil {
		t.Fatalf("testfs: remount %s read-write: %v", dir, err)
	}
}

func remount(dir string, flags uintptr) error {
	return unix.Mount("", dir, "", unix.MS_REMOUNT|unix.MS_NOSUID|unix.MS_NODEV|flags, "")
}
