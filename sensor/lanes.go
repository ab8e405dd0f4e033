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
	s      *Sensor
	eng    *capture.Engine
	events *workerEvents
	clock  captureClock
	// flushed is the capture time the events were last handed to detection.
	flushed time.Time
}

// laneFlushEvery bounds how long (capture time) a lane's events wait for
// detection; on a busy link a batch fills sooner (maxBatchedEvents).
const laneFlushEvery = 100 * time.Millisecond

// Lanes returns one input per worker. It needs Config.Fanout: then Packet and
// Advance of the Sensor must not be used.
func (s *Sensor) Lanes() []*Lane { return s.lanes }

// Packet processes one packet of this lane's share of the traffic.
func (l *Lane) Packet(p *pcapfile.Packet) {
	if ts := p.CI.Timestamp; l.clock.see(ts) {
		l.s.detect.Tick(ts)
	}
	l.eng.Packet(p.Data, p.CI, p.LinkType)
	if ts := p.CI.Timestamp; l.events.full() || ts.Sub(l.flushed) >= laneFlushEvery {
		l.flushed = ts
		l.events.flush()
	}
}

// Advance moves this lane's clock on an idle link.
func (l *Lane) Advance(now time.Time) {
	l.s.detect.Tick(now)
	l.eng.Advance(now)
	l.flushed = now
	l.events.flush()
}
