package hl7

import (
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/idhash"
)

// Request ↔ acknowledgement correlation, kept apart from parsing. Each flow
// has one correlator: a FIFO of messages awaiting their acknowledgement,
// keyed by a hash of MSH-10 (so no control ID is copied or kept) and by the
// direction the message travelled. An acknowledgement in the other
// direction matches by MSA-2. MLLP peers acknowledge one message at a time,
// so the table is usually one entry long; it grows on demand up to
// Config.MaxPendingAcks and then drops its oldest entry.

type ackState uint8

const (
	ackWaiting   ackState = iota // nothing received yet
	ackCommitted                 // an accept (commit) ACK came: CA/CE/CR
	ackDone                      // an application ACK came, or the entry was dropped
)

type pendingAck struct {
	hash   uint64
	ts     time.Time
	key    string // message type key, for the ack_missing detail
	dir    app.Direction
	state  ackState
	expect bool // the sender asked for an acknowledgement (see Summary.ExpectsAck)
}

type correlator struct {
	ring    []pendingAck // circular; len(ring) is the current capacity
	head, n int
	limit   int
	timeout time.Duration
}

func newCorrelator(limit int, timeout time.Duration) correlator {
	return correlator{limit: limit, timeout: timeout}
}

func (c *correlator) at(i int) *pendingAck { return &c.ring[(c.head+i)%len(c.ring)] }

// request records a message that may be acknowledged. It reports whether
// the same control ID was already waiting in that direction (a resend: the
// first send time is kept) and returns the entry it had to drop to make room,
// if that entry was still waiting.
func (c *correlator) request(dir app.Direction, id string, key string, expect bool, ts time.Time) (resent bool, dropped *pendingAck) {
	h := idhash.FNV1a(id)
	for i := c.n - 1; i >= 0; i-- {
		if e := c.at(i); e.hash == h && e.dir == dir && e.state == ackWaiting {
			return true, nil
		}
	}
	if c.n == len(c.ring) {
		if !c.grow() {
			old := *c.at(0)
			c.pop()
			if old.state == ackWaiting && old.expect {
				dropped = &old
			}
		}
	}
	*c.at(c.n) = pendingAck{hash: h, ts: ts, key: key, dir: dir, expect: expect}
	c.n++
	return false, dropped
}

// grow doubles the ring up to the limit; false when at the limit.
func (c *correlator) grow() bool {
	size := len(c.ring)
	if size >= c.limit {
		return false
	}
	ring := make([]pendingAck, min(max(2*size, 4), c.limit))
	for i := 0; i < c.n; i++ {
		ring[i] = *c.at(i)
	}
	c.ring, c.head = ring, 0
	return true
}

func (c *correlator) pop() {
	c.head = (c.head + 1) % len(c.ring)
	c.n--
}

// response matches an acknowledgement travelling in dir that acknowledges
// control ID id with code code. It returns the latency since the message was
// sent and whether a message matched.
func (c *correlator) response(dir app.Direction, id string, code string, ts time.Time) (time.Duration, bool) {
	h := idhash.FNV1a(id)
	want := dir.Reverse()
	for i := c.n - 1; i >= 0; i-- {
		e := c.at(i)
		if e.hash != h || e.dir != want || e.state == ackDone {
			continue
		}
		if code == "CA" || code == "CE" || code == "CR" {
			e.state = ackCommitted // an application ACK may still follow
		} else {
			e.state = ackDone
		}
		c.trim()
		return ts.Sub(e.ts), true
	}
	return 0, false
}

// trim drops finished entries from the head so the table stays short.
func (c *correlator) trim() {
	for c.n > 0 && c.at(0).state == ackDone {
		c.pop()
	}
}

// expired removes entries older than the timeout at capture time now, and
// returns the next one that was still waiting for its acknowledgement; ok is
// false when there is none. With all set, every entry is removed (end of
// the flow).
func (c *correlator) expired(now time.Time, all bool) (e pendingAck, ok bool) {
	for c.n > 0 {
		head := c.at(0)
		if !all && head.state != ackDone && now.Sub(head.ts) < c.timeout {
			return e, false
		}
		e = *head
		c.pop()
		if e.state == ackWaiting && e.expect {
			return e, true
		}
	}
	return e, false
}

// forget drops the entries waiting for an acknowledgement from direction
// ackDir (after a gap there, their acknowledgements may have been lost).
func (c *correlator) forget(ackDir app.Direction) {
	for i := 0; i < c.n; i++ {
		if e := c.at(i); e.dir == ackDir.Reverse() {
			e.state = ackDone
		}
	}
	c.trim()
}
