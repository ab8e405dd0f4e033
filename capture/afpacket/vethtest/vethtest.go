//go:build linux

// Package vethtest gives live-capture tests two network namespaces joined by a
// veth pair, made by the test itself and deleted when it ends, so that a test
// never captures on (or sends through) the host's real interfaces.
package vethtest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// Pair is namespace A holding interface IfA (AddrA) and namespace B holding IfB
// (AddrB), the two ends of one veth link on 10.99.N.0/24.
type Pair struct {
	A, B         string
	IfA, IfB     string
	AddrA, AddrB string
}

// New creates the namespaces and the link; it skips the test (saying why) without
// root, without ip(8), or where namespaces cannot be made. tag (a few letters)
// keeps the names of concurrent tests apart.
func New(t testing.TB, tag string) *Pair {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces and packet sockets")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("no ip(8): install iproute2")
	}
	id := os.Getpid() % 10000
	p := &Pair{
		A: fmt.Sprintf("lw%sa%d", tag, id), B: fmt.Sprintf("lw%sb%d", tag, id),
		IfA: fmt.Sprintf("%sa%d", tag, id), IfB: fmt.Sprintf("%sb%d", tag, id),
		AddrA: "10.99.0.1", AddrB: "10.99.0.2",
	}
	if out, err := exec.Command("ip", "netns", "add", p.A).CombinedOutput(); err != nil {
		t.Skipf("cannot create network namespaces here: %s", out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", p.A).Run() })
	ip(t, "netns", "add", p.B)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", p.B).Run() })
	p.Link(t)
	return p
}

// Link (re)creates the veth pair, addressed and up.
func (p *Pair) Link(t testing.TB) {
	t.Helper()
	ip(t, "link", "add", p.IfA, "netns", p.A, "type", "veth", "peer", "name", p.IfB, "netns", p.B)
	ip(t, "-n", p.A, "addr", "add", p.AddrA+"/24", "dev", p.IfA)
	ip(t, "-n", p.B, "addr", "add", p.AddrB+"/24", "dev", p.IfB)
	ip(t, "-n", p.A, "link", "set", p.IfA, "up")
	ip(t, "-n", p.B, "link", "set", p.IfB, "up")
}

// Unlink deletes the veth pair (both ends go).
func (p *Pair) Unlink(t testing.TB) {
	t.Helper()
	ip(t, "-n", p.A, "link", "del", p.IfA)
}

// In runs fn on a thread switched into namespace ns. Sockets fn opens stay in
// ns after it returns, whichever goroutine uses them later.
func (p *Pair) In(t testing.TB, ns string, fn func()) {
	t.Helper()
	runtime.LockOSThread()
	orig, err := os.Open("/proc/thread-self/ns/net")
	require.NoError(t, err)
	defer orig.Close()
	target, err := os.Open("/run/netns/" + ns)
	require.NoError(t, err)
	defer target.Close()
	require.NoError(t, unix.Setns(int(target.Fd()), unix.CLONE_NEWNET))
	fn()
	if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
		// Leave the thread locked: it ends with the goroutine rather than
		// running other goroutines inside the test's namespace.
		t.Errorf("back to the original namespace: %v", err)
		return
	}
	runtime.UnlockOSThread()
}

// Exec runs a command inside namespace ns and returns its combined output.
func (p *Pair) Exec(ns string, name string, args ...string) ([]byte, error) {
	return exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...).CombinedOutput()
}

func ip(t testing.TB, args ...string) {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	require.NoError(t, err, "ip %v: %s", args, out)
}
