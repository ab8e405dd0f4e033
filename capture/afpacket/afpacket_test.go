//go:build linux

package afpacket

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/capture/afpacket/vethtest"
	"labwatch/capture/pcapfile"
)

func TestOptionsRejectWhatTheKernelWouldNot(t *testing.T) {
	for name, o := range map[string]Options{
		"no interface":      {},
		"too many sockets":  {Interface: "x", Sockets: 65},
		"odd block size":    {Interface: "x", BlockSize: 5000},
		"ring over the cap": {Interface: "x", BlockSize: 1 << 20, NumBlocks: 4096},
	} {
		_, err := o.withDefaults()
		assert.Error(t, err, name)
	}
	o, err := Options{Interface: "x"}.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, 64<<20, o.RingBytes(), "64 MiB per socket by default")
	assert.Equal(t, defaultFanoutID(), o.FanoutID)
	assert.NotZero(t, o.FanoutID)
	assert.Equal(t, 1, o.Sockets)
}

func TestOpenMissingInterfaceSaysWhatToDo(t *testing.T) {
	_, err := Open(Options{Interface: "lwnosuch0"})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInterfaceDown)
	assert.Contains(t, err.Error(), "ip link")
}

// TestFanoutKeepsWholeFlowsOnOneSocket sends both directions of 32 UDP
// conversations through a veth pair and checks that a 2-socket group saw every
// packet once, each conversation on one socket only, and both sockets busy.
func TestFanoutKeepsWholeFlowsOnOneSocket(t *testing.T) {
	p := vethtest.New(t, "fo")
	flows := newUDPFlows(t, p, 32, listenPort)
	g := openIn(t, p, Options{Sockets: 2, BPF: "udp port 7000", Promisc: true})
	s, wait := readAll(g)
	// The metrics read the counters while the readers run.
	scraped := make(chan struct{})
	go func() {
		defer close(scraped)
		for !s.closed.Load() {
			g.Drops()
			g.Stats()
			time.Sleep(time.Millisecond)
		}
	}()
	sent := flows.exchange(t, 20)
	require.True(t, waitFor(5*time.Second, func() bool { return s.total() >= sent }), "saw %d of %d", s.total(), sent)
	time.Sleep(200 * time.Millisecond) // nothing more should come
	g.Close()
	for _, err := range wait() {
		assert.ErrorIs(t, err, ErrClosed)
	}
	<-scraped

	assert.Equal(t, sent, s.total(), "every packet once")
	assert.Zero(t, s.other, "the filter let only UDP through")
	owner := map[string]int{}
	for i, m := range s.flows {
		assert.NotEmpty(t, m, "socket %d got a share", i)
		for k, n := range m {
			prev, dup := owner[k]
			assert.False(t, dup, "conversation %s on sockets %d and %d", k, prev, i)
			owner[k] = i
			assert.Equal(t, 40, n, "conversation %s: 20 each way", k)
		}
	}
	assert.Len(t, owner, 32)
	kernel, _ := g.Drops()
	assert.Zero(t, kernel)
	st := g.Stats()
	assert.EqualValues(t, sent, st.Received)
}

// TestFilterDropsWhatItShould sends to two ports and captures one.
func TestFilterDropsWhatItShould(t *testing.T) {
	p := vethtest.New(t, "fi")
	keep := newUDPFlows(t, p, 2, listenPort)
	skip := newUDPFlows(t, p, 2, listenPort+1)
	g := openIn(t, p, Options{Sockets: 2, BPF: "udp dst port 7000", Snaplen: 60})
	s, wait := readAll(g)
	skip.exchange(t, 10)
	sent := keep.exchange(t, 10) / 2 // only B → A goes to port 7000
	require.True(t, waitFor(5*time.Second, func() bool { return s.total() >= sent }))
	time.Sleep(200 * time.Millisecond)
	g.Close()
	wait()
	assert.Equal(t, sent, s.total())
	for _, n := range s.lengths {
		assert.LessOrEqual(t, n, 60, "the snap length is enforced")
	}
}

// TestDropsCountAFullRing gives the group a two-page ring, sends far more than
// it holds without reading, and checks that every packet that reached the ring
// was read or counted as dropped. (On a loaded machine the veth backlog may
// drop some before they reach the socket: those were never the ring's.)
func TestDropsCountAFullRing(t *testing.T) {
	p := vethtest.New(t, "dr")
	flows := newUDPFlows(t, p, 4, listenPort)
	g := openIn(t, p, Options{BlockSize: os.Getpagesize(), NumBlocks: 2, BPF: "udp port 7000"})
	sent := flows.exchange(t, 250)
	time.Sleep(300 * time.Millisecond)
	kernel, _ := g.Drops()
	assert.Positive(t, kernel, "the ring overflowed")
	assert.Positive(t, g.Stats().Freezes, "the ring froze")

	s, wait := readAll(g)
	waitFor(time.Second, func() bool { return false }) // drain
	g.Close()
	wait()
	kernel, _ = g.Drops()
	received := g.Stats().Received // read after Close: the counters keep their values
	assert.EqualValues(t, received, uint64(s.total())+kernel, "read %d + dropped %d; %d reached the ring of %d sent",
		s.total(), kernel, received, sent)
	assert.Positive(t, received)
	assert.LessOrEqual(t, received, uint64(sent))
}

// TestCloseUnblocksNext closes a group while a reader waits on an idle link.
func TestCloseUnblocksNext(t *testing.T) {
	p := vethtest.New(t, "cl")
	g := openIn(t, p, Options{Sockets: 2, BPF: "udp port 1", PollTimeout: time.Second})
	done := make(chan error, 1)
	go func() {
		var pkt pcapfile.Packet
		err := ErrTimeout
		for errors.Is(err, ErrTimeout) {
			err = g.Socket(0).Next(&pkt)
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	g.Close()
	assert.Less(t, time.Since(start), 1500*time.Millisecond, "Close waits at most one poll timeout")
	select {
	case err := <-done:
		assert.ErrorIs(t, err, ErrClosed)
	case <-time.After(2 * time.Second):
		t.Fatal("Next still blocked after Close")
	}
	g.Close() // harmless
	var pkt pcapfile.Packet
	assert.ErrorIs(t, g.Socket(1).Next(&pkt), ErrClosed)
	assert.Nil(t, g.Socket(2))
}

// TestInterfaceGoneIsNotATimeout deletes the captured interface under a reader.
func TestInterfaceGoneIsNotATimeout(t *testing.T) {
	p := vethtest.New(t, "gn")
	g := openIn(t, p, Options{Sockets: 2, BPF: "udp port 1"})
	_, wait := readAll(g)
	time.Sleep(200 * time.Millisecond)
	p.Unlink(t)
	errs := make(chan []error, 1)
	go func() { errs <- wait() }()
	select {
	case got := <-errs:
		for _, err := range got {
			assert.ErrorIs(t, err, ErrInterfaceDown)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("readers did not notice the interface went away")
	}
	g.Close()
	p.Link(t)
	g2 := openIn(t, p, Options{Sockets: 2})
	assert.Equal(t, 2, g2.Len(), "reopens once the interface is back")
}

// TestFragmentsAreReassembledBeforeHashing sends datagrams larger than the
// veth's MTU: the kernel reassembles them before choosing a socket, so each
// arrives whole, once, on its conversation's socket.
func TestFragmentsAreReassembledBeforeHashing(t *testing.T) {
	p := vethtest.New(t, "fr")
	flows := newUDPFlows(t, p, 16, listenPort)
	g := openIn(t, p, Options{Sockets: 2, BPF: "udp port 7000 or (ip[6:2] & 0x3fff != 0)"})
	s, wait := readAll(g)
	big := make([]byte, 4000)
	for _, b := range flows.bs {
		_, err := b.Write(big)
		require.NoError(t, err)
	}
	require.True(t, waitFor(5*time.Second, func() bool { return s.total() >= 16 }))
	time.Sleep(200 * time.Millisecond)
	g.Close()
	wait()
	assert.Equal(t, 16, s.total(), "one reassembled datagram per conversation")
	for _, n := range s.lengths {
		assert.Greater(t, n, 4000, "whole datagram")
	}
}

func TestLoopbackIsLeftToLibpcap(t *testing.T) {
	_, err := Open(Options{Interface: "lo"})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnsupported, "auto falls back to libpcap on lo")
}

// TestLinkDownIsReported takes the link down under the readers: they stop with
// ErrInterfaceDown, and Open says the link is down until it is up again.
func TestLinkDownIsReported(t *testing.T) {
	p := vethtest.New(t, "dn")
	g := openIn(t, p, Options{Sockets: 2, BPF: "udp port 1"})
	_, wait := readAll(g)
	time.Sleep(200 * time.Millisecond)
	out, err := p.Exec(p.A, "ip", "link", "set", p.IfA, "down")
	require.NoError(t, err, string(out))
	for _, err := range wait() {
		assert.ErrorIs(t, err, ErrInterfaceDown)
	}
	g.Close()
	p.In(t, p.A, func() { _, err = Open(Options{Interface: p.IfA}) })
	assert.ErrorIs(t, err, ErrInterfaceDown)
	assert.Contains(t, err.Error(), "is down")
	out, err = p.Exec(p.A, "ip", "link", "set", p.IfA, "up")
	require.NoError(t, err, string(out))
	openIn(t, p, Options{Sockets: 2})
}

// TestNextDoesNotAllocate reads packets already waiting in the ring: handing
// one out costs no allocation.
func TestNextDoesNotAllocate(t *testing.T) {
	p := vethtest.New(t, "al")
	flows := newUDPFlows(t, p, 4, listenPort)
	g := openIn(t, p, Options{BPF: "udp port 7000"})
	sent := flows.exchange(t, 50)
	time.Sleep(300 * time.Millisecond)
	var pkt pcapfile.Packet
	read := 0
	allocs := testing.AllocsPerRun(sent-10, func() {
		if g.Socket(0).Next(&pkt) == nil {
			read++
		}
	})
	assert.Zero(t, allocs)
	assert.Equal(t, sent-9, read, "every call returned a waiting packet")
}
