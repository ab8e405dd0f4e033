package afpacket

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/afpacket"
	"github.com/gopacket/gopacket/layers"

	"labwatch/capture/pcapfile"
)

// Socket is one fanout member: one ring, read by one goroutine. Next is called
// from that goroutine; Close and the counters may be called from others.
type Socket struct {
	tp   *afpacket.TPacket
	link link

	// read is held by Next for one poll (at most the poll timeout), so Close
	// can wait for it before unmapping the ring.
	read   sync.Mutex
	closed atomic.Bool
	// joined is when the whole group was set up; packets stamped earlier are
	// skipped while warming (the ring is in arrival order, so only at first).
	joined  time.Time
	warming bool

	mu   sync.Mutex // guards tp's statistics calls against Close, and last
	last afpacket.SocketStatsV3
}

// Next reads the next packet into p. Data points into the ring and is valid
// until the next call on this socket (or Close). It returns ErrTimeout when the
// link was idle for the poll timeout, ErrClosed after Close, and an error
// wrapping ErrInterfaceDown when the interface went down or away.
func (s *Socket) Next(p *pcapfile.Packet) error {
	s.read.Lock()
	defer s.read.Unlock()
	for !s.closed.Load() {
		data, ci, err := s.tp.ZeroCopyReadPacketData()
		if err != nil {
			return s.explain(err)
		}
		if s.warming && ci.Timestamp.Before(s.joined) {
			// Received before every socket had its filter and its place in
			// the fanout group: possibly unfiltered, or also seen by
			// another socket.
			continue
		}
		s.warming = false
		p.Data, p.CI, p.LinkType, p.Source = data, ci, layers.LinkTypeEthernet, 0
		return nil
	}
	return ErrClosed
}

// explain sorts a read error into timeout, interface gone, or other failure.
func (s *Socket) explain(err error) error {
	switch {
	case errors.Is(err, afpacket.ErrTimeout):
		return ErrTimeout
	case errors.Is(err, afpacket.ErrPoll) && s.link.gone():
		return errorf(ErrInterfaceDown, "afpacket: %s went down or away", s.link.name)
	}
	// Another socket error (the link flapped, a driver reset): the caller
	// reopens the group.
	return fmt.Errorf("afpacket: %s: %w", s.link.name, err)
}

// stats returns the socket's cumulative kernel counters; after Close they keep
// their last values.
func (s *Socket) stats() afpacket.SocketStatsV3 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed.Load() {
		if _, v3, err := s.tp.SocketStats(); err == nil {
			s.last = v3
		}
	}
	return s.last
}

// markClosed makes Next return ErrClosed from its next call on, keeping the
// final counters. It reports whether the socket was still open.
func (s *Socket) markClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return false
	}
	if _, v3, err := s.tp.SocketStats(); err == nil {
		s.last = v3
	}
	s.closed.Store(true)
	return true
}

// release waits for a blocked Next to return (at most one poll timeout), then
// unmaps the ring and closes the socket.
func (s *Socket) release() {
	s.read.Lock()
	defer s.read.Unlock()
	s.tp.Close()
}
