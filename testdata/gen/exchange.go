package gen

import "labwatch/protocols/app"

// exchange is one turn of a conversation (a message and its acknowledgement, an
// ASTM session, a TLS handshake): the application writes of both sides, in order,
// with the pauses between them. The TCP engine turns it into segments.
//
// Writers append bytes to data and then commit them as one send; marks remember
// where each application message lies in its direction's stream so the truth can
// tell which messages a lost segment damaged.
type exchange struct {
	data    []byte
	sends   []send
	marks   []mark
	pending int // start in data of bytes not yet committed
	stream  [2]int64
}

// send is one application write.
type send struct {
	dir        app.Direction
	start, end int   // range in exchange.data
	gap        int64 // microseconds to wait after the previous send
}

// mark is one application message, as stream offsets of its direction.
type mark struct {
	dir        app.Direction
	start, end int64
	app, typ   string
}

// reset empties x for the next turn of a conversation; stream offsets continue.
func (x *exchange) reset() {
	x.data = x.data[:0]
	x.sends = x.sends[:0]
	x.marks = x.marks[:0]
	x.pending = 0
}

// offset is the stream offset in direction d of the next byte appended to data.
// Uncommitted bytes must belong to d.
func (x *exchange) offset(d app.Direction) int64 {
	return x.stream[d] + int64(len(x.data)-x.pending)
}

// commit turns the bytes appended since the last commit into one write by d,
// made gap after the previous write.
func (x *exchange) commit(d app.Direction, gap int64) {
	if len(x.data) == x.pending {
		return
	}
	x.sends = append(x.sends, send{dir: d, start: x.pending, end: len(x.data), gap: gap})
	x.stream[d] += int64(len(x.data) - x.pending)
	x.pending = len(x.data)
}

// writeByte appends one control byte and commits it as one write.
func (x *exchange) writeByte(d app.Direction, gap int64, c byte) {
	x.data = append(x.data, c)
	x.commit(d, gap)
}

// markMessage records an application message of d from stream offset start to
// the current end of d's bytes.
func (x *exchange) markMessage(d app.Direction, start int64, appName, typ string) {
	x.marks = append(x.marks, mark{dir: d, start: start, end: x.offset(d), app: appName, typ: typ})
}

// bytes returns the payload of s.
func (x *exchange) bytes(s *send) []byte { return x.data[s.start:s.end] }
