package afpacket

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gopacket/gopacket/afpacket"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Group is the set of sockets of one fanout group on one interface. Socket i is
// read by one goroutine; Drops, Stats and Close are safe from any goroutine.
type Group struct {
	opts    Options
	link    link
	sockets []*Socket

	mu        sync.Mutex // guards the fields below
	closed    bool
	ifaceBase uint64 // the interface's rx_dropped at Open
	ifaceLast uint64 // its increase since Open, as last read
}

// Open starts capturing on o.Interface with o.Sockets sockets in one fanout
// group. Errors say what to do; they wrap ErrUnsupported when AF_PACKET cannot
// be used here (the caller may fall back to libpcap) and ErrInterfaceDown when
// the interface is missing or down.
func Open(o Options) (*Group, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	l, err := lookupLink(o.Interface)
	if err != nil {
		return nil, err
	}
	filter, err := compileFilter(o.BPF, o.Snaplen)
	if err != nil {
		return nil, err
	}
	g := &Group{opts: o, link: l, ifaceBase: l.rxDropped()}
	for i := 0; i < o.Sockets; i++ {
		s, err := openSocket(o, l, filter)
		if err != nil {
			g.Close()
			return nil, err
		}
		g.sockets = append(g.sockets, s)
	}
	joined := time.Now()
	for _, s := range g.sockets {
		s.joined, s.warming = joined, true
	}
	return g, nil
}

// openSocket opens one TPACKET_V3 socket, attaches the filter, turns on
// promiscuous mode if asked, and joins the fanout group.
func openSocket(o Options, l link, filter []bpf.RawInstruction) (*Socket, error) {
	tp, err := afpacket.NewTPacket(
		afpacket.OptInterface(l.name),
		afpacket.OptTPacketVersion(afpacket.TPacketVersion3),
		afpacket.OptFrameSize(frameSize),
		afpacket.OptBlockSize(o.BlockSize),
		afpacket.OptNumBlocks(o.NumBlocks),
		afpacket.OptBlockTimeout(blockTimeout),
		afpacket.OptPollTimeout(o.PollTimeout),
	)
	if err != nil {
		return nil, explainTPacket(o, err)
	}
	if err := tp.SetBPF(filter); err != nil {
		tp.Close()
		return nil, fmt.Errorf("afpacket: attaching the --bpf filter to %s: %w", l.name, err)
	}
	// Each socket holds its own membership; the kernel drops it (and the
	// interface leaves promiscuous mode) when the socket closes.
	if o.Promisc {
		if err := tp.SetPromiscuous(true); err != nil {
			tp.Close()
			return nil, fmt.Errorf("afpacket: promiscuous mode on %s: %w", l.name, explainOpen(l.name, err))
		}
	}
	if err := tp.SetFanout(afpacket.FanoutHashWithDefrag, o.FanoutID); err != nil {
		tp.Close()
		if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EEXIST) {
			return nil, fmt.Errorf("afpacket: fanout group %d on %s is taken by another capture (or the link went down): pick another FanoutID: %w", o.FanoutID, l.name, err)
		}
		return nil, explainOpen(l.name, err)
	}
	return &Socket{tp: tp, link: l}, nil
}

// explainTPacket turns gopacket's socket-setup errors (some of which lose the
// errno) into a sentence saying what to do.
func explainTPacket(o Options, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "tpacket versions"):
		return errorf(ErrUnsupported, "afpacket: kernel without TPACKET_V3: use --capture pcap")
	case strings.Contains(msg, "rx_ring") && strings.Contains(msg, "memory"),
		errors.Is(err, unix.ENOMEM):
		return fmt.Errorf("afpacket: cannot map a %d MiB ring per socket × %d: lower the ring size or the workers: %v", o.RingBytes()>>20, o.Sockets, err)
	case strings.Contains(msg, "InterfaceByName"):
		return errorf(ErrInterfaceDown, "afpacket: interface %q went away while opening", o.Interface)
	}
	return explainOpen(o.Interface, err)
}

// Len is the number of sockets.
func (g *Group) Len() int { return len(g.sockets) }

// Socket returns socket i, for 0 ≤ i < Len(); nil otherwise.
func (g *Group) Socket(i int) *Socket {
	if i < 0 || i >= len(g.sockets) {
		return nil
	}
	return g.sockets[i]
}

// Stats are the kernel's counters summed over the group's sockets.
type Stats struct {
	Received uint64 // packets the filter accepted, including those dropped
	Dropped  uint64 // dropped because the socket's ring was full
	Freezes  uint64 // times a ring filled up and the kernel stopped writing to it
}

// Stats sums the sockets' counters; after Close they keep their last values.
func (g *Group) Stats() Stats {
	var st Stats
	for _, s := range g.sockets {
		v3 := s.stats()
		st.Received += uint64(v3.Packets())
		st.Dropped += uint64(v3.Drops())
		st.Freezes += uint64(v3.QueueFreezes())
	}
	return st
}

// Drops returns packets dropped because a ring was full (kernel) and the
// interface's own receive drops since Open (iface), the two figures libpcap
// reports. After Close they keep their last values.
func (g *Group) Drops() (kernel, iface uint64) {
	kernel = g.Stats().Dropped
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.closed {
		// A recreated interface starts its counter again from zero.
		if now := g.link.rxDropped(); now >= g.ifaceBase {
			g.ifaceLast = now - g.ifaceBase
		}
	}
	return kernel, g.ifaceLast
}

// Close stops every socket. A Next blocked in another goroutine returns
// ErrClosed within one poll timeout; Close waits for it before unmapping the
// rings, so packet bytes from Next must not be used after Close. Closing twice
// is harmless.
func (g *Group) Close() {
	g.Drops() // keep the final counters
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	var open []*Socket
	for _, s := range g.sockets {
		if s.markClosed() {
			open = append(open, s)
		}
	}
	for _, s := range open {
		s.release()
	}
}
