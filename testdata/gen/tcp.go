package gen

import (
	"slices"
	"time"

	"labwatch/protocols/app"
)

type tcpPhase uint8

const (
	phaseHandshake tcpPhase = iota
	phaseTalk
	phaseClosed
)

// tcpState is the sequence-space bookkeeping of one connection. Times are
// microseconds; all packets are stamped as a tap next to the lab switch sees them.
type tcpState struct {
	phase   tcpPhase
	isn     [2]uint32
	seq     [2]uint32 // next sequence number per direction
	mss     [2]int    // largest segment each direction may send
	rtt     int64
	now     int64 // time of the flow's latest packet
	unacked [2]int
	closer  app.Direction
	// exchanges counts the conversation's turns so far.
	exchanges int
}

// delayedAck is how long a receiver holds an ACK for a lone segment.
const delayedAck = 40_000

// openTCP draws the connection's initial sequence numbers and round trip.
func (g *generator) openTCP(f *flow, start int64) {
	t := &f.tcp
	*t = tcpState{now: start, closer: app.ClientToServer}
	t.isn[0], t.isn[1] = g.r.Uint32(), g.r.Uint32()
	t.seq = t.isn
	mss := int(min(f.client.mss, f.server.mss))
	if f.spec.v6 {
		mss -= 20
	}
	t.mss = [2]int{mss, mss}
	t.rtt = g.r.micros(150*time.Microsecond, 700*time.Microsecond)
	if f.spec.outbound {
		t.rtt = g.r.micros(18*time.Millisecond, 32*time.Millisecond)
	}
}

// refillTCP queues the flow's next batch of packets: the handshake, the next
// exchange, or the teardown. It returns false when the flow is finished.
func (g *generator) refillTCP(f *flow) bool {
	f.q, f.head = f.q[:0], 0
	t := &f.tcp
	for len(f.q) == 0 {
		switch t.phase {
		case phaseHandshake:
			g.handshake(f)
			t.phase = phaseTalk
		case phaseTalk:
			f.x.reset()
			if g.winding() || !f.conv.next(g, f, &f.x) {
				g.teardown(f)
				t.phase = phaseClosed
				break
			}
			g.emitExchange(f)
		case phaseClosed:
			return false
		}
	}
	return true
}

// handshake queues SYN, SYN-ACK and ACK, half a round trip apart.
func (g *generator) handshake(f *flow) {
	t := &f.tcp
	c, s := app.ClientToServer, app.ServerToClient
	f.q = append(f.q, pkt{ts: t.now, dir: c, flags: flagSYN, seq: t.isn[c]})
	t.now += t.rtt / 2
	f.q = append(f.q, pkt{ts: t.now, dir: s, flags: flagSYN | flagACK, seq: t.isn[s], ack: t.isn[c] + 1})
	t.now += t.rtt - t.rtt/2
	t.seq[c], t.seq[s] = t.isn[c]+1, t.isn[s]+1
	f.q = append(f.q, pkt{ts: t.now, dir: c, flags: flagACK, seq: t.seq[c], ack: t.seq[s]})
}

// teardown closes the connection after an idle moment: the client's FIN, the
// server's FIN-ACK and the last ACK, or the client's RST for flows planned so.
func (g *generator) teardown(f *flow) {
	t := &f.tcp
	c := t.closer
	p := c.Reverse()
	t.now += g.r.micros(2*time.Millisecond, 150*time.Millisecond)
	if f.spec.reset {
		f.q = append(f.q, pkt{ts: t.now, dir: c, flags: flagRST | flagACK, seq: t.seq[c], ack: t.seq[p]})
		g.truth.Events["rst"]++
		g.truth.Streams[f.stream].Reset = true
		return
	}
	f.q = append(f.q, pkt{ts: t.now, dir: c, flags: flagFIN | flagACK, seq: t.seq[c], ack: t.seq[p]})
	t.seq[c]++
	t.now += t.rtt
	f.q = append(f.q, pkt{ts: t.now, dir: p, flags: flagFIN | flagACK, seq: t.seq[p], ack: t.seq[c]})
	t.seq[p]++
	t.now += t.rtt
	f.q = append(f.q, pkt{ts: t.now, dir: c, flags: flagACK, seq: t.seq[c], ack: t.seq[p]})
}

// pureACK queues an ACK from dir d at ts acknowledging everything the peer sent.
func (f *flow) pureACK(d app.Direction, ts int64) {
	t := &f.tcp
	f.q = append(f.q, pkt{ts: ts, dir: d, flags: flagACK, seq: t.seq[d], ack: t.seq[d.Reverse()]})
	t.unacked[d.Reverse()] = 0
}

// emitExchange segments every write of the flow's exchange at the MSS, adds the
// receiver's ACKs (every second segment, delayed for a lone one unless a reply
// carries it), applies any impairment due, and records the truth.
func (g *generator) emitExchange(f *flow) {
	t := &f.tcp
	x := &f.x
	f.lost = f.lost[:0]
	st := &g.truth.Streams[f.stream]
	for i := range x.sends {
		s := &x.sends[i]
		d := s.dir
		peer := d.Reverse()
		gap := s.gap
		if i > 0 && x.sends[i-1].dir != d {
			gap = max(gap, t.rtt+20) // a reply cannot leave before the request arrived
		}
		t.now += gap
		data := x.bytes(s)
		if g.o.KeepPayload {
			st.Dirs[d].Payload = append(st.Dirs[d].Payload, data...)
		}
		st.Dirs[d].Bytes += len(data)
		t.unacked[peer] = 0 // these segments carry the ACK for everything received
		first := len(f.q)
		for off := 0; off < len(data); {
			n := min(t.mss[d], len(data)-off)
			flags := flagACK
			if off+n == len(data) {
				flags |= flagPSH
			}
			f.q = append(f.q, pkt{ts: t.now, dir: d, flags: flags, seq: t.seq[d], ack: t.seq[peer], payload: data[off : off+n]})
			t.seq[d] += uint32(n)
			off += n
			t.unacked[d]++
			if t.unacked[d] >= 2 {
				f.pureACK(peer, t.now+t.rtt)
			}
			if off < len(data) {
				t.now += int64(n/60 + 4) // wire and stack time between back-to-back segments
			}
		}
		if len(data) >= minImpairPayload {
			g.impair(f, d, first)
		}
		if t.unacked[d] > 0 {
			next := i + 1
			replySoon := next < len(x.sends) && x.sends[next].gap < delayedAck
			if !replySoon {
				f.pureACK(peer, t.now+delayedAck)
			}
		}
	}
	g.recordMarks(f)
	f.q = slices.DeleteFunc(f.q, func(p pkt) bool { return p.drop })
	slices.SortStableFunc(f.q, func(a, b pkt) int {
		switch {
		case a.ts < b.ts:
			return -1
		case a.ts > b.ts:
			return 1
		}
		return 0
	})
	if len(f.q) > 0 {
		t.now = max(t.now, f.q[len(f.q)-1].ts)
	}
}

// streamOffset is the position in d's byte stream of a segment starting at seq.
func (f *flow) streamOffset(d app.Direction, seq uint32) int64 {
	return int64(seq - (f.tcp.isn[d] + 1))
}

// recordMarks counts each message of the exchange as intact or damaged by a loss.
func (g *generator) recordMarks(f *flow) {
	st := &g.truth.Streams[f.stream]
	for _, m := range f.x.marks {
		damaged := false
		for _, l := range f.lost {
			if l.dir == m.dir && l.start < m.end && m.start < l.end {
				damaged = true
				break
			}
		}
		st.Dirs[m.dir].Messages++
		if damaged {
			g.truth.count(g.truth.Damaged, m.app, m.typ)
		} else {
			g.truth.count(g.truth.Messages, m.app, m.typ)
		}
	}
}
