package afpacket

import (
	"fmt"
	"os"
	"time"
)

// Defaults: a 64 MiB ring per socket absorbs about a quarter of a second of a
// saturated 2 Gbit/s SPAN port before the kernel drops.
const (
	DefaultBlockSize   = 1 << 20
	DefaultNumBlocks   = 64
	DefaultPollTimeout = 250 * time.Millisecond
	DefaultSnaplen     = 65535
	// blockTimeout retires a partly filled block so that packets on a quiet
	// link reach the reader within this delay.
	blockTimeout = 20 * time.Millisecond
	// frameSize only sets how the kernel accounts frames in a V3 block; frames
	// themselves are packed at their real length.
	frameSize = 4096
	// maxSockets bounds the fanout width (and the rings mapped: Sockets ×
	// BlockSize × NumBlocks).
	maxSockets = 64
	// maxRing caps one socket's ring.
	maxRing = 2 << 30
)

// Options configure a capture group.
type Options struct {
	Interface string
	BPF       string // tcpdump syntax; empty captures everything
	Snaplen   int    // bytes kept per packet (default 65535)
	Promisc   bool
	// Sockets is the number of fanout members (default 1, at most 64).
	Sockets int
	// BlockSize (a multiple of the page size) and NumBlocks size each socket's
	// ring: BlockSize × NumBlocks bytes, 64 MiB by default.
	BlockSize int
	NumBlocks int
	// PollTimeout bounds how long Next waits before ErrTimeout, and how long
	// Close waits for a blocked Next.
	PollTimeout time.Duration
	// FanoutID names the kernel fanout group; it must be unique among the
	// captures on this network namespace, or their sockets share one group
	// and split the traffic (default: derived from the pid and pid namespace).
	FanoutID uint16
}

// withDefaults fills zero fields and checks the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Interface == "" {
		return o, fmt.Errorf("afpacket: no interface given: pass one with -i")
	}
	if o.Snaplen <= 0 {
		o.Snaplen = DefaultSnaplen
	}
	if o.Sockets <= 0 {
		o.Sockets = 1
	}
	if o.BlockSize <= 0 {
		o.BlockSize = DefaultBlockSize
	}
	if o.NumBlocks <= 0 {
		o.NumBlocks = DefaultNumBlocks
	}
	if o.PollTimeout <= 0 {
		o.PollTimeout = DefaultPollTimeout
	}
	if o.FanoutID == 0 {
		o.FanoutID = defaultFanoutID()
	}
	switch {
	case o.Sockets > maxSockets:
		return o, fmt.Errorf("afpacket: %d sockets asked, at most %d", o.Sockets, maxSockets)
	case o.BlockSize%os.Getpagesize() != 0 || o.BlockSize%frameSize != 0:
		return o, fmt.Errorf("afpacket: block size %d is not a multiple of the page size %d", o.BlockSize, os.Getpagesize())
	case o.BlockSize > maxRing || o.NumBlocks > maxRing/o.BlockSize:
		return o, fmt.Errorf("afpacket: ring of %d × %d bytes is over the %d MiB cap", o.NumBlocks, o.BlockSize, maxRing>>20)
	}
	return o, nil
}

// RingBytes is the memory one socket maps for its ring.
func (o Options) RingBytes() int { return o.BlockSize * o.NumBlocks }
