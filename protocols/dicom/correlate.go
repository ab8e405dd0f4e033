package dicom

import (
	"time"

	"labwatch/protocols/app"
)

// Request ↔ response correlation of DIMSE messages, kept apart from
// parsing: a -RQ's message ID (0000,0110) is remembered with its direction
// and time; a -RSP in the other direction names it in (0000,0120). Pending
// responses (C-FIND and C-GET/C-MOVE progress) measure latency and keep the
// entry; the final one removes it. The table is a fixed ring: an association
// has at most a few operations outstanding (asynchronous window), and past
// maxOutstanding the oldest entry is overwritten.
const maxOutstanding = 16

type outstanding struct {
	id   uint16
	dir  app.Direction
	ts   time.Time
	used bool
}

type correlator struct {
	ring [maxOutstanding]outstanding
	next int
}

func (c *correlator) request(dir app.Direction, id uint16, ts time.Time) {
	c.ring[c.next] = outstanding{id: id, dir: dir, ts: ts, used: true}
	c.next = (c.next + 1) % maxOutstanding
}

// response returns the time since the request a response in dir answers.
func (c *correlator) response(dir app.Direction, id uint16, ts time.Time, final bool) (time.Duration, bool) {
	for i := range c.ring {
		o := &c.ring[i]
		if !o.used || o.id != id || o.dir == dir {
			continue
		}
		lat := max(ts.Sub(o.ts), 0)
		if final {
			o.used = false
		}
		return lat, true
	}
	return 0, false
}
