package astm

import (
	"fmt"

	"labwatch/protocols/internal/hexdigit"
)

// E1381 / LIS01-A2, the low level: the link phases (ENQ, ACK/NAK, EOT) seen from
// both directions of the flow, and the checks made on each frame
// <STX> FN text <ETX|ETB> C1 C2 <CR><LF>.

// Control bytes.
const (
	stx = 0x02
	etx = 0x03
	eot = 0x04
	enq = 0x05
	ack = 0x06
	lf  = 0x0a
	cr  = 0x0d
	nak = 0x15
	etb = 0x17
)

// e1381MaxFrame is the longest frame LIS01-A2 allows, STX to LF; longer ones
// are counted (long_frames), not rejected: single-frame dialects are common.
const e1381MaxFrame = 247

// linkState is one direction's place in the E1381 link phases.
type linkState uint8

const (
	linkIdle     linkState = iota // neutral
	linkEnq                       // ENQ sent, no reply yet
	linkTransfer                  // sending frames (ENQ acknowledged, or frames seen)
)

// lowCounts are the E1381 tallies of one direction since its last message.
type lowCounts struct {
	frames         int
	etbFrames      int
	checksumErrors int
	naks           int
	retries        int
	noChecksum     int // frames ended by ETX/ETB without checksum characters
	unnumbered     int // frames without a frame number
	longFrames     int // frames longer than LIS01-A2 allows
	contention     int // both sides sent ENQ
	busy           int // ENQ answered by NAK
	interrupts     int // receiver answered a frame with EOT
	framingErrors  int // framing_error anomalies
	sequenceErrors int // bad_frame_number anomalies
}

// frameSeq remembers the last frames of one direction, to tell a retransmission
// from a new frame and to check the frame-number sequence (1..7, 0, 1 …).
type frameSeq struct {
	known   bool // expect is meaningful (after ENQ, or after a numbered frame)
	expect  byte // next frame number, '0'..'7'
	last    frameID
	hasLast bool
	nakd    bool    // the receiver NAKed the last frame
	bad     frameID // last frame that failed its checksum
	hasBad  bool
}

// frameID identifies a frame well enough to recognise it when it is sent again.
type frameID struct {
	fn    byte // '0'..'7', or 0 when the frame has none
	sum   byte
	bytes int
}

func (q *frameSeq) restart() { *q = frameSeq{known: true, expect: '1'} }
func (q *frameSeq) forget()  { *q = frameSeq{} }

// frameNumber splits a frame body into its number and text.
func frameNumber(body []byte) (fn byte, text []byte) {
	if len(body) > 0 && body[0] >= '0' && body[0] <= '7' {
		return body[0], body[1:]
	}
	return 0, body
}

// checksum is the E1381 sum: every byte from the frame number through ETX or
// ETB, modulo 256.
func checksum(body []byte, end byte) byte {
	s := end
	for _, c := range body {
		s += c
	}
	return s
}

func nextFrameNumber(fn byte) byte { return '0' + (fn-'0'+1)%8 }

// frameDone checks the frame whose body and trailer were just read and hands its
// text on. A frame failing its checksum is dropped (the receiver NAKs it and the
// sender resends it); a frame equal to the previous one is a retransmission and
// is counted once.
func (s *side) frameDone(hasSum bool) {
	body := s.body
	s.body, s.bodyInData = nil, false
	s.ll.frames++
	if s.end == etb {
		s.ll.etbFrames++
	}
	if len(body)+6 > e1381MaxFrame {
		s.ll.longFrames++
	}
	fn, text := frameNumber(body)
	if fn == 0 {
		s.ll.unnumbered++
	}
	id := frameID{fn: fn, sum: checksum(body, s.end), bytes: len(body)}
	if !hasSum {
		s.ll.noChecksum++
	} else if want := hexdigit.Value(s.sum[0])<<4 | hexdigit.Value(s.sum[1]); want != id.sum {
		s.ll.checksumErrors++
		s.seq.bad, s.seq.hasBad = id, true
		s.anomaly(ReasonBadChecksum, fmt.Sprintf("frame %s: checksum %02X, computed %02X", fnName(fn), want, id.sum))
		return
	}
	s.link = linkTransfer // frames mean the link is up, even when ENQ/ACK went unseen
	q := &s.seq
	if q.hasLast && q.last == id && (fn != 0 || q.nakd) {
		s.ll.retries++
		q.nakd = false
		return
	}
	switch {
	case q.hasBad && fn != 0 && fn == q.bad.fn:
		s.ll.retries++ // the good copy of a frame that failed its checksum
	case fn != 0 && q.known && fn != q.expect:
		s.ll.sequenceErrors++
		if !s.asm.pending() {
			s.anomaly(ReasonBadFrameNumber, fmt.Sprintf("frame number %c where %c was expected", fn, q.expect))
			break
		}
		// A record was cut by the missing frame: it and its message are lost.
		s.anomaly(ReasonBadFrameNumber, fmt.Sprintf("frame number %c where %c was expected; the record it cut and its message are dropped", fn, q.expect))
		s.asm.discard()
		s.b.drop(true)
	}
	q.last, q.hasLast, q.hasBad, q.nakd = id, true, false, false
	if fn != 0 {
		q.known, q.expect = true, nextFrameNumber(fn)
	}
	s.b.flush() // a new frame follows: the previous message, if complete, is final
	s.asm.feed(text, s)
	if s.end == etx {
		s.asm.end(s)
	}
}

func fnName(fn byte) string {
	if fn == 0 {
		return "without number"
	}
	return string(rune(fn))
}

// onENQ: this direction asks for the link.
func (s *side) onENQ() {
	if s.link == linkTransfer {
		s.endTransmission("ENQ restarted the transmission")
	}
	s.b.flush()
	if o := s.other(); o.link == linkEnq {
		// Contention: LIS01-A2 gives the instrument priority; both sides back off
		// and the winner sends ENQ again.
		s.ll.contention++
		o.ll.contention++
		o.link, s.link = linkIdle, linkIdle
		return
	}
	s.link = linkEnq
	s.seq.restart()
}

// onACK: this direction acknowledges the other's ENQ or frame.
func (s *side) onACK() {
	o := s.other()
	if o.link == linkEnq {
		o.link = linkTransfer
	}
	o.seq.nakd = false
}

// onNAK: this direction refuses the other's ENQ (busy) or last frame.
func (s *side) onNAK() {
	o := s.other()
	o.ll.naks++
	if o.link == linkEnq {
		o.ll.busy++
		o.link = linkIdle
		return
	}
	o.seq.nakd = true
}

// onEOT ends this direction's transmission; sent by a receiver instead of ACK it
// asks the sender to stop (receiver interrupt).
func (s *side) onEOT() {
	if s.link != linkIdle || s.b.open() || s.asm.pending() {
		s.endTransmission("EOT ended the transmission")
		return
	}
	if o := s.other(); o.link == linkTransfer {
		o.ll.interrupts++
		return
	}
	s.b.flush()
}

// endTransmission closes this direction's transmission: a record cut short is
// lost, an open message is reported as aborted, a complete one is handed over.
func (s *side) endTransmission(why string) {
	s.asm.reset()
	if s.b.open() {
		s.anomaly(ReasonAbortedSession, why+" before the L record")
		s.b.drop(false)
	}
	s.b.flush()
	s.link = linkIdle
	s.seq.forget()
}
