// Package live captures packets from a network interface through libpcap.
//
// It is kept apart from package capture so that everything else builds and tests
// without cgo or libpcap; only the `run` command needs it.
package live

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gopacket/gopacket/pcap"

	"labwatch/capture/pcapfile"
)

// ErrTimeout is returned by Next when no packet arrived within the read timeout;
// the caller uses it to advance its clock on idle links.
var ErrTimeout = errors.New("live: read timeout")

// Options configure a live capture.
type Options struct {
	Interface string
	BPF       string
	Snaplen   int
	Promisc   bool
	// BufferSize is the kernel capture buffer in bytes; a larger buffer absorbs
	// bursts on a busy SPAN port.
	BufferSize int
	// ReadTimeout bounds how long Next waits before returning ErrTimeout.
	ReadTimeout time.Duration
}

// Source reads packets from one interface. Next is called from one goroutine;
// Drops and Close may be called from others.
type Source struct {
	h     *pcap.Handle
	iface string

	mu                  sync.Mutex // guards closed and the last counters
	closed              bool
	lastKernel, lastIfc uint64
}

// Open starts capturing. Errors say what to do: a missing interface or a missing
// privilege is the usual first-run problem.
func Open(o Options) (*Source, error) {
	if o.Snaplen <= 0 {
		o.Snaplen = 65535
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 250 * time.Millisecond
	}
	if o.BufferSize <= 0 {
		o.BufferSize = 32 << 20
	}
	in, err := pcap.NewInactiveHandle(o.Interface)
	if err != nil {
		return nil, explain(o.Interface, err)
	}
	defer in.CleanUp()
	for _, set := range []error{
		in.SetSnapLen(o.Snaplen),
		in.SetPromisc(o.Promisc),
		in.SetTimeout(o.ReadTimeout),
		in.SetBufferSize(o.BufferSize),
	} {
		if set != nil {
			return nil, explain(o.Interface, set)
		}
	}
	h, err := in.Activate()
	if err != nil {
		return nil, explain(o.Interface, err)
	}
	if o.BPF != "" {
		if err := h.SetBPFFilter(o.BPF); err != nil {
			h.Close()
			return nil, fmt.Errorf("live: bad --bpf filter %q: %v", o.BPF, err)
		}
	}
	return &Source{h: h, iface: o.Interface}, nil
}

// explain turns libpcap's messages into one sentence saying what to do.
func explain(iface string, err error) error {
	msg := err.Error()
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(low, "permission") || strings.Contains(low, "not permitted"):
		exe, _ := os.Executable()
		return fmt.Errorf("live: no permission to capture on %s: run as root, or grant the capability once with `setcap cap_net_raw,cap_net_admin=eip %s`", iface, exe)
	case strings.Contains(low, "no such device") || strings.Contains(low, "doesn't exist") || strings.Contains(low, "not found"):
		return fmt.Errorf("live: interface %q not found: list interfaces with `ip link` and pass one with -i", iface)
	}
	return fmt.Errorf("live: cannot capture on %s: %s", iface, msg)
}

// Next reads the next packet into p. It returns ErrTimeout when the link was idle
// for the read timeout.
func (s *Source) Next(p *pcapfile.Packet) error {
	data, ci, err := s.h.ZeroCopyReadPacketData()
	if err != nil {
		if errors.Is(err, pcap.NextErrorTimeoutExpired) {
			return ErrTimeout
		}
		return fmt.Errorf("live: %s: %w", s.iface, err)
	}
	p.Data, p.CI, p.LinkType, p.Source = data, ci, s.h.LinkType(), 0
	return nil
}

// Drops returns the kernel's counters: packets dropped because the buffer was
// full, and dropped by the interface.
// After Close they keep their last values.
func (s *Source) Drops() (kernel, iface uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		if st, err := s.h.Stats(); err == nil && st != nil {
			s.lastKernel, s.lastIfc = uint64(st.PacketsDropped), uint64(st.PacketsIfDropped)
		}
	}
	return s.lastKernel, s.lastIfc
}

// Close stops the capture; closing twice is harmless.
func (s *Source) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if st, err := s.h.Stats(); err == nil && st != nil {
		s.lastKernel, s.lastIfc = uint64(st.PacketsDropped), uint64(st.PacketsIfDropped)
	}
	s.closed = true
	s.h.Close()
}
