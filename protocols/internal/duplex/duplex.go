// Package duplex routes a stream analyzer's four calls (data, gap, end,
// expire) to the parsers of its two directions, for protocols whose analyzer is
// two independent sides and a shared anomaly reporter.
package duplex

import (
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
)

// Side parses one direction of a flow.
type Side interface {
	Data(b []byte)
	Gap(n int)
	// End is told why the direction is over ("the stream closed", "the flow
	// expired") and flushes what it holds.
	End(why string)
}

// Router implements app.Analyzer over two sides. Embed it in an analyzer and
// call Init; Now is the capture time of the latest data, for reports.
type Router struct {
	Now   time.Time
	sides [2]Side
	rep   *anomaly.Reporter
}

// Init sets the sides (client to server, server to client) and the reporter
// whose give-up ends the routing.
func (r *Router) Init(c2s, s2c Side, rep *anomaly.Reporter) {
	r.sides, r.rep = [2]Side{c2s, s2c}, rep
}

func (r *Router) live(dir app.Direction) bool { return !r.rep.GaveUp && dir <= app.ServerToClient }

// Data gives the next bytes of direction dir to its side; data is not kept.
func (r *Router) Data(dir app.Direction, data []byte, ts time.Time) {
	if r.live(dir) {
		r.Now = ts
		r.sides[dir].Data(data)
	}
}

// Gap tells direction dir's side that n bytes were lost.
func (r *Router) Gap(dir app.Direction, n int) {
	if r.live(dir) {
		r.sides[dir].Gap(n)
	}
}

// End tells direction dir's side that the stream closed.
func (r *Router) End(dir app.Direction) {
	if r.live(dir) {
		r.sides[dir].End("the stream closed")
	}
}

// Expire flushes both sides; nothing follows.
func (r *Router) Expire() {
	for d := range r.sides {
		if r.live(app.Direction(d)) {
			r.sides[d].End("the flow expired")
		}
	}
}
