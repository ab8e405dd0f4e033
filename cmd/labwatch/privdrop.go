package main

import (
	"fmt"
	"os/user"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// dropPrivileges switches the process to an unprivileged user once the capture
// handle is open: reading from an open handle needs no privilege, so the sensor
// parses hostile traffic without root or capabilities. no_new_privs, so
// that nothing it could execute regains them, is set for every thread at load
// time (nnp_linux.go); setting it here again is a no-op kept for clarity.
func dropPrivileges(name string) error {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("--user: setting no_new_privs: %w", err)
	}
	if name == "" {
		return nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("--user: %w", err)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("--user %s: unusable uid/gid %s/%s", name, u.Uid, u.Gid)
	}
	// Order matters: groups and gid while still privileged, uid last. Go applies
	// these to every thread of the process.
	if err := syscall.Setgroups([]int{gid}); err != nil {
		return fmt.Errorf("--user %s: setgroups: %w (start as root, or drop --user)", name, err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return fmt.Errorf("--user %s: setgid: %w", name, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return fmt.Errorf("--user %s: setuid: %w", name, err)
	}
	return nil
}
