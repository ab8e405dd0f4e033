package testfs

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// A tmpfs cannot turn read-only under a file open for writing (the kernel
// answers EBUSY), but a real disk can: ext4 mounted errors=remount-ro turns
// read-only at its first error, open files or not. Ext4 gives a test such a
// filesystem on a loop device of its own, and Break injects the error.

var (
	loopsMu sync.Mutex
	loops   = map[string]string{} // mount point → loop device
)

// Ext4 mounts a new ext4 image of size bytes (errors=remount-ro) on a loop
// device and a new temporary directory; both go when the test ends. It skips
// when the tools (mkfs.ext4, e2fsck, losetup) or loop devices are missing.
func Ext4(t testing.TB, size int64) string {
	t.Helper()
	for _, tool := range []string{"mkfs.ext4", "e2fsck", "losetup"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian: e2fsprogs, mount)", tool)
		}
	}
	img := filepath.Join(t.TempDir(), "ext4.img")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatalf("testfs: %v", err)
	}
	if err := os.Truncate(img, size); err != nil {
		t.Fatalf("testfs: %v", err)
	}
	run(t, "mkfs.ext4", "-q", "-F", img)
	out, err := exec.Command("losetup", "--find", "--show", img).CombinedOutput()
	if err != nil {
		t.Skipf("no loop device (needs root and /dev/loop-control): %v: %s", err, out)
	}
	dev := strings.TrimSpace(string(out))
	t.Cleanup(func() { _ = exec.Command("losetup", "--detach", dev).Run() })
	dir := t.TempDir()
	if err := mountExt4(dev, dir); err != nil {
		t.Skipf("cannot mount ext4 (needs root / CAP_SYS_ADMIN): %v", err)
	}
	t.Cleanup(func() { _ = unix.Unmount(dir, unix.MNT_DETACH) })
	loopsMu.Lock()
	loops[dir] = dev
	loopsMu.Unlock()
	return dir
}

// Break makes the ext4 at dir meet a filesystem error, as a failing disk
// would: the kernel remounts it read-only at once, and every write, even to
// a file already open, fails with EROFS until Repair.
func Break(t testing.TB, dir string) {
	t.Helper()
	knob := filepath.Join("/sys/fs/ext4", filepath.Base(loopOf(t, dir)), "trigger_fs_error")
	if err := os.WriteFile(knob, []byte("1"), 0o200); err != nil {
		t.Skipf("this kernel cannot inject an ext4 error (%s): %v", knob, err)
	}
}

// Repair does what an operator does after such an error: unmount, check
// (e2fsck -fy) and mount read-write again. Close files on dir first: a file
// held open keeps the old, read-only mount.
func Repair(t testing.TB, dir string) {
	t.Helper()
	dev := loopOf(t, dir)
	if err := unix.Unmount(dir, unix.MNT_DETACH); err != nil {
		t.Fatalf("testfs: unmount %s: %v", dir, err)
	}
	// e2fsck exits 1 when it fixed something: expected after an error.
	if err := exec.Command("e2fsck", "-fy", dev).Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
			t.Fatalf("testfs: e2fsck %s: %v", dev, err)
		}
	}
	if err := mountExt4(dev, dir); err != nil {
		t.Fatalf("testfs: mount %s again: %v", dev, err)
	}
}

func mountExt4(dev, dir string) error {
	return unix.Mount(dev, dir, "ext4", unix.MS_NOSUID|unix.MS_NODEV, "errors=remount-ro")
}

func loopOf(t testing.TB, dir string) string {
	t.Helper()
	loopsMu.Lock()
	defer loopsMu.Unlock()
	dev, ok := loops[dir]
	if !ok {
		t.Fatalf("testfs: %s is not a filesystem from Ext4", dir)
	}
	return dev
}

func run(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("testfs: %s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
}
