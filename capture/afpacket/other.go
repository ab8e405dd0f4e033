//go:build !linux

package afpacket

import "labwatch/capture/pcapfile"

func defaultFanoutID() uint16 { return 1 }

// Group is a placeholder: AF_PACKET exists only on Linux.
type Group struct{}

// Socket is a placeholder: AF_PACKET exists only on Linux.
type Socket struct{}

// Stats are the kernel's counters summed over the group's sockets.
type Stats struct{ Received, Dropped, Freezes uint64 }

// Open fails with ErrUnsupported: use libpcap.
func Open(Options) (*Group, error) { return nil, ErrUnsupported }

// Len is 0: there are no sockets.
func (g *Group) Len() int { return 0 }

// Socket returns nil.
func (g *Group) Socket(int) *Socket { return nil }

// Stats returns zeros.
func (g *Group) Stats() Stats { return Stats{} }

// Drops returns zeros.
func (g *Group) Drops() (kernel, iface uint64) { return 0, 0 }

// Close does nothing.
func (g *Group) Close() {}

// Next returns ErrClosed.
func (s *Socket) Next(*pcapfile.Packet) error { return ErrClosed }
