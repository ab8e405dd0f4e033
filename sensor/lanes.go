package sensor

import (
	"time"

	"labwatch/capture"
	"labwatch/capture/pcapfile"
)

// Lane is one worker's own input, for a capture that spreads packets over the
// workers itself (AF_PACKET fanout hashes flows to sockets in the kernel):
// each lane is fed from one goroutine and drives its engine directly.
type Lane struct {
	s     *Sensor
	eng   *capture.Engine
	clock captureClock
}

// Lanes returns one input per worker. It needs Config.Fanout: then Packet and
// Advance of the Sensor must not be used.
func (s *Sensor) Lanes() []*Lane { return s.lanes }

// Packet processes one packet of this lane's share of the traffic.
func (l *Lane) Packet(p *pcapfile.Packet) {
	if ts := p.CI.Timestamp; l.clock.see(ts) {
		l.s.detect.Tick(ts)
	}
	l.eng.Packet(p.Data, p.CI, p.LinkType)
}

// Advance moves this lane's clock on an idle link.
func (l *Lane) Advance(now time.Time) {
	l.s.detect.Tick(now)
	l.eng.Advance(now)
}
