package hl7

import "bytes"

// MLLP block characters (HL7 MLLP release 1 and 2).
const (
	startBlock = 0x0B // VT
	endBlock   = 0x1C // FS, followed by CR
	carriageRe = 0x0D
)

// mllpFramer finds MLLP frames in one direction of a stream. It is
// resumable: it keeps two bits of state between calls and never copies or
// allocates. Each call to next handles at most one frame event and says how
// many bytes it consumed; the caller loops until the data is used up and
// decides whether the payload can be parsed in place or must be buffered.
type mllpFramer struct {
	inFrame  bool // a start block was seen and its end block was not
	afterEnd bool // the last byte was an end block: a CR should follow
}

// mllpChunk is the result of one framer step.
type mllpChunk struct {
	payload []byte // frame content found in this step (may be empty)
	start   bool   // payload begins a new frame
	end     bool   // the frame was closed by its end block
	broken  bool   // the frame was closed by a new start block (no end block)
	noCR    bool   // an end block was not followed by CR
	stray   int    // visible bytes skipped outside frames
	skipped int    // all bytes skipped outside frames
	n       int    // bytes consumed
}

// next consumes data up to and including the next frame event.
func (f *mllpFramer) next(data []byte) mllpChunk {
	var c mllpChunk
	pos := 0
	if !f.inFrame {
		if f.afterEnd && len(data) > 0 {
			f.afterEnd = false
			if data[0] == carriageRe {
				c.n = 1
				return c
			}
			c.noCR = true
		}
		i := bytes.IndexByte(data, startBlock)
		if i < 0 {
			c.stray, c.skipped = countVisible(data[c.n:]), len(data)-c.n
			c.n = len(data)
			return c
		}
		c.stray, c.skipped = countVisible(data[c.n:i]), i-c.n
		f.inFrame, c.start = true, true
		pos = i + 1
	}
	rest := data[pos:]
	j := bytes.IndexByte(rest, endBlock)
	body := rest
	if j >= 0 {
		body = rest[:j]
	}
	if k := bytes.IndexByte(body, startBlock); k >= 0 {
		// A new frame starts before this one ended: close it here and let
		// the next step open the new one.
		c.payload, c.broken = body[:k], true
		f.inFrame = false
		c.n = pos + k
		return c
	}
	c.payload = body
	if j < 0 {
		c.n = len(data)
		return c
	}
	c.end = true
	f.inFrame = false
	c.n = pos + j + 1
	if c.n < len(data) {
		if data[c.n] == carriageRe {
			c.n++
		} else {
			c.noCR = true
		}
	} else {
		f.afterEnd = true
	}
	return c
}

// reset forgets any frame in progress (after a gap).
func (f *mllpFramer) reset() { *f = mllpFramer{} }
