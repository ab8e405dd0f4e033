package poct1a

import (
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/idhash"
)

// Message ↔ ACK.R01 correlation, kept apart from parsing. Each flow keeps a
// bounded FIFO of messages waiting for their acknowledgement, keyed by a
// hash of HDR.control_id (no control ID is kept) and the direction they
// travelled; an ACK.R01 in the other direction matches by
// ACK.ack_control_id. POCT1-A2 peers acknowledge one message at a time, so
// the queue is short; past MaxPendingAcks the oldest entry is dropped.
type pending struct {
	hash uint64
	dir  app.Direction
	ts   time.Time
}

type correlator struct {
	queue []pending
	limit int
}

// request records a message sent in dir at ts.
func (c *correlator) request(dir app.Direction, id string, ts time.Time) {
	if id == "" {
		return
	}
	if len(c.queue) >= c.limit {
		copy(c.queue, c.queue[1:])
		c.queue = c.queue[:len(c.queue)-1]
	}
	c.queue = append(c.queue, pending{idhash.FNV1a(id), dir, ts})
}

// response matches an acknowledgement travelling in dir and returns the time
// since the message it acknowledges.
func (c *correlator) response(dir app.Direction, ackOf string, ts time.Time) (time.Duration, bool) {
	if ackOf == "" {
		return 0, false
	}
	h := idhash.FNV1a(ackOf)
	for i, p := range c.queue {
		if p.hash == h && p.dir != dir {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			if ts.Before(p.ts) {
				return 0, true
			}
			return ts.Sub(p.ts), true
		}
	}
	return 0, false
}
