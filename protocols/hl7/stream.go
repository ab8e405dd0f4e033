package hl7

import (
	"bytes"
	"time"

	"labwatch/protocols/app"
)

// framing is how one direction delimits messages.
type framing uint8

const (
	framingUnknown framing = iota // nothing visible seen yet
	framingMLLP                   // 0x0B ... 0x1C 0x0D
	framingRaw                    // records start at MSH/FHS/BHS/BTS/FTS lines
	framingUTF16                  // raw UTF-16: buffered whole, cut after transcoding
	framingOff                    // unusable after a gap in UTF-16
)

// releaseAbove is the buffer capacity kept between messages; a buffer grown
// for a larger message is given back once that message is done.
const releaseAbove = 64 << 10

// stream is the state of one direction.
type stream struct {
	dir     app.Direction
	framing framing
	order   byteOrder // for framingUTF16
	mllp    mllpFramer

	// The record (MLLP frame or raw record) in progress. Its bytes are in
	// buf when it began in an earlier Data call (buffered); otherwise it is
	// parsed in place when it ends inside the current call.
	open     bool
	buffered bool
	over     bool // the record passed MaxMessageBytes; buf holds its head
	// overReported: msg_too_large was reported when the record crossed the
	// cap, so its end does not report it again.
	overReported bool
	buf          []byte

	// Raw framing: whether the next byte starts a line, and up to three bytes
	// that start a line but are too few to tell whether they begin a record.
	lineStart bool
	hold      [3]byte
	nhold     int
	found     bool // a raw record start was seen in this direction

	stray    int  // visible stray bytes not reported yet
	skipping bool // after a gap: bytes before the next start are expected loss
	noCRSeen bool // the missing-CR framing quirk was reported once
	seen     bool // bytes were delivered
	finSeen  bool // the capture saw this direction close
	ended    bool // flushed for good
	gapped   bool
	messages int
	ts       time.Time
	batch    batchState
}

// keep appends p to the buffer, up to the message cap.
func (st *stream) keep(p []byte, limit int) {
	if room := limit - len(st.buf); len(p) > room {
		p = p[:max(room, 0)]
		st.over = true
	}
	st.buf = append(st.buf, p...)
}

// closeRecord forgets the record in progress and trims the buffer.
func (st *stream) closeRecord() {
	st.open, st.buffered, st.over, st.overReported = false, false, false, false
	if cap(st.buf) > releaseAbove {
		st.buf = nil
	} else {
		st.buf = st.buf[:0]
	}
}

func (st *stream) release() {
	st.closeRecord()
	st.buf = nil
}

// gap drops the record in progress and arms resynchronisation.
func (st *stream) gap() {
	st.closeRecord()
	st.mllp.reset()
	st.lineStart, st.nhold = false, 0
	st.skipping, st.gapped = true, true
	st.stray = 0
	st.batch = batchState{}
	if st.framing == framingUTF16 {
		st.framing = framingOff // the byte pairing may be lost
	}
}

// data dispatches one Data call by framing, deciding the framing on the
// first visible byte: a start block means MLLP, anything else raw.
func (st *stream) data(a *Analyzer, data []byte, ts time.Time) {
	if st.framing == framingUnknown {
		off := skipPadding(data)
		if off == len(data) {
			return
		}
		switch order, _ := detectUTF16(data[off:]); {
		case order != notUTF16:
			st.framing, st.order = framingUTF16, order
		case data[off] == startBlock:
			st.framing = framingMLLP
		default:
			st.framing = framingRaw
		}
	}
	switch st.framing {
	case framingMLLP:
		st.mllpData(a, data, ts)
	case framingRaw:
		if !st.found {
			// A flow picked up in the middle of an MLLP message starts with
			// content: switch to MLLP at the first start block, unless a raw
			// record starts before it.
			if i := bytes.IndexByte(data, startBlock); i >= 0 {
				if at, _ := findRecord(data[:i], 0, st.lineStart); at < 0 {
					st.framing, st.nhold = framingMLLP, 0
					a.outside(st, data[:i])
					st.mllpData(a, data[i:], ts)
					return
				}
			}
		}
		st.rawData(a, data, ts)
	case framingUTF16:
		st.open, st.buffered = true, true
		st.keep(data, a.cfg.MaxMessageBytes)
	default:
		a.stats.Skipped += int64(len(data))
	}
}

// mllpData runs the framer over data.
func (st *stream) mllpData(a *Analyzer, data []byte, ts time.Time) {
	noCR := false
	for len(data) > 0 && !a.gaveUp {
		c := st.mllp.next(data)
		if c.skipped > 0 {
			a.outsideN(st, c.stray, c.skipped)
		}
		data = data[c.n:]
		noCR = noCR || c.noCR
		if c.start {
			a.reportStray(st, ts)
			st.skipping = false
			st.closeRecord()
			st.open = true
		}
		if !st.open {
			continue
		}
		if !c.end && !c.broken {
			st.keep(c.payload, a.cfg.MaxMessageBytes)
			st.buffered = true
			continue
		}
		if st.buffered {
			st.keep(c.payload, a.cfg.MaxMessageBytes)
			a.handleRecord(st, st.buf, ts, st.over)
		} else {
			a.handleRecord(st, c.payload, ts, false)
		}
		st.closeRecord()
		if c.broken {
			a.violation(st, ts, ReasonMissingEndBlock, "frame closed by a new start block")
		}
	}
	// Reported after the frame it ends, so that a first frame can confirm
	// the flow; a device quirk rather than an attack, so only once.
	if noCR && !st.noCRSeen && !a.gaveUp {
		st.noCRSeen = true
		a.violation(st, ts, ReasonBadMLLPFraming, "end block 0x1C not followed by CR")
	}
}

// rawData cuts a stream without MLLP into records at header lines.
func (st *stream) rawData(a *Analyzer, data []byte, ts time.Time) {
	limit := a.cfg.MaxMessageBytes
	if st.nhold > 0 {
		var head [4]byte
		copy(head[:], st.hold[:st.nhold])
		got := copy(head[st.nhold:], data)
		switch {
		case st.nhold+got < 4 && couldBeHeader(head[:st.nhold+got]):
			st.nhold += copy(st.hold[st.nhold:], data)
			return
		case st.nhold+got == 4 && headerKind(head[:]) != recNone:
			st.flushRaw(a, ts)
			a.reportStray(st, ts)
			st.open, st.buffered, st.found, st.skipping = true, true, true, false
			st.keep(st.hold[:st.nhold], limit)
		default:
			st.rawContent(a, st.hold[:st.nhold])
		}
		st.nhold, st.lineStart = 0, false
	}
	pos, recStart := 0, -1 // recStart: where an in-place record began in data
	for !a.gaveUp {
		at, part := findRecord(data, pos, st.lineStart)
		if at < 0 {
			end := len(data)
			if part >= 0 {
				end = part
			}
			switch {
			case st.open && recStart >= 0:
				st.buf = st.buf[:0]
				st.keep(data[recStart:end], limit)
				st.buffered = true
			case st.open:
				st.keep(data[pos:end], limit)
			default:
				a.outside(st, data[pos:end])
			}
			if part >= 0 {
				st.nhold = copy(st.hold[:], data[part:])
				st.lineStart = false
			} else {
				st.lineStart = isEOL(data[len(data)-1])
			}
			return
		}
		switch {
		case st.open && recStart >= 0:
			a.handleRecord(st, data[recStart:at], ts, false)
			st.closeRecord()
		case st.open:
			st.keep(data[pos:at], limit)
			st.flushRaw(a, ts)
		default:
			a.outside(st, data[pos:at])
		}
		a.reportStray(st, ts)
		st.open, st.buffered, st.found, st.skipping = true, false, true, false
		recStart, pos, st.lineStart = at, at+4, false
	}
}

// rawContent handles held bytes that turned out not to start a record.
func (st *stream) rawContent(a *Analyzer, b []byte) {
	if st.open {
		st.keep(b, a.cfg.MaxMessageBytes)
		return
	}
	a.outside(st, b)
}

// flushRaw ends the buffered record, if any.
func (st *stream) flushRaw(a *Analyzer, ts time.Time) {
	if st.open {
		a.handleRecord(st, st.buf, ts, st.over)
	}
	st.closeRecord()
}

// replySeen is called when the peer sends data: a raw record that ended at a
// line end is taken as complete, since the peer would not answer half a
// message. MLLP needs no such guess.
func (st *stream) replySeen(a *Analyzer, ts time.Time) {
	switch st.framing {
	case framingRaw:
		if st.open && st.lineStart && st.nhold == 0 {
			st.flushRaw(a, st.ts)
		}
	case framingUTF16:
		if st.open {
			st.flushRaw(a, st.ts)
		}
	}
}

// end flushes what the direction still holds when it closes or the flow
// expires.
func (st *stream) end(a *Analyzer) {
	if st.ended || a.gaveUp {
		return
	}
	st.ended = true
	ts := st.ts
	switch st.framing {
	case framingMLLP:
		if st.open {
			a.handleRecord(st, st.buf, ts, st.over)
			st.closeRecord()
			a.violation(st, ts, ReasonMissingEndBlock, "stream ended inside a frame")
		}
	case framingRaw, framingUTF16:
		if st.nhold > 0 {
			st.rawContent(a, st.hold[:st.nhold])
			st.nhold = 0
		}
		st.flushRaw(a, ts)
	}
	a.reportStray(st, ts)
	if problem := st.batch.unclosed(); problem != "" && !a.gaveUp {
		st.batch = batchState{}
		a.violation(st, ts, ReasonBadBatch, problem)
	}
}
