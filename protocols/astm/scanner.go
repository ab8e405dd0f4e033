package astm

import (
	"labwatch/protocols/app"
	"labwatch/protocols/internal/hexdigit"
)

// The per-direction byte scanner: a resumable state machine over the slices the
// capture layer hands in. It sorts bytes into E1381 control bytes, frames and
// raw record lines, without a goroutine, a reader or a copy of the stream: a
// frame or record lying whole inside one slice is parsed in place, and only the
// unfinished tail of a slice is copied into the side's bounded buffers.

// streamMode is what a direction has shown itself to carry.
type streamMode uint8

const (
	modeUnknown streamMode = iota
	modeFramed             // E1381: ENQ or STX seen
	modeRaw                // LIS2-A2 records as lines, no low level
)

// scanState is where the scanner is between two bytes.
type scanState uint8

const (
	scanIdle     scanState = iota // between frames, lines and control bytes
	scanFrame                     // after STX, before ETX/ETB
	scanTrailer                   // after ETX/ETB: checksum characters
	scanLine                      // inside a raw record line
	scanJunk                      // skipping bytes outside frames
	scanOversize                  // skipping the rest of a frame past MaxFrameBytes
	scanResync                    // after a gap or a cap: waiting for a sync point
)

// Byte classes, looked up once per byte.
var (
	frameStop [256]bool // ends a frame's text
	lineStop  [256]bool // ends a raw line
	syncByte  [256]bool // where skipping stops
)

func init() {
	for _, c := range []byte{stx, etx, etb, eot, enq} {
		frameStop[c] = true
	}
	for _, c := range []byte{cr, lf, stx, etx, etb, eot, enq, ack, nak} {
		lineStop[c] = true
	}
	for _, c := range []byte{stx, eot, enq, ack, nak} {
		syncByte[c] = true
	}
}

// hRecord starts a header line found while resynchronising.
var hRecord = []byte{'H'}

// side is the state of one direction of the flow.
type side struct {
	an   *Analyzer
	dir  app.Direction
	mode streamMode
	st   scanState
	link linkState
	seq  frameSeq

	// The frame being read. While it lies in the current slice only indexes are
	// kept; at the end of the slice its bytes move to frame (bounded by
	// Config.MaxFrameBytes, reused).
	frame      []byte
	frameStart int    // index of the byte after STX in the current slice, or -1
	frameLen   int    // bytes after STX so far
	body       []byte // frame number + text, while the trailer is read
	bodyInData bool   // body points into the current slice
	end        byte   // ETX or ETB
	sum        [2]byte
	sumN       int

	// Resynchronisation on raw lines: a line start, then "H" + delimiter.
	lineStart bool
	sawH      bool

	asm    assembler
	b      *builder
	ll     lowCounts
	closed bool
}

func (s *side) other() *side { return &s.an.sides[s.dir^1] }

// anomaly and message make side the sink of its assembler and builder.
func (s *side) anomaly(reason, detail string) { s.an.report(s.dir, reason, detail, true) }
func (s *side) message(m *msgState)           { s.an.emitMessage(s, m) }
func (s *side) record(rec []byte)             { s.b.record(rec) }

// scan consumes one slice of this direction. Every state either consumes at
// least one byte or moves to a state that does, so the loop always advances.
func (s *side) scan(data []byte) {
	s.frameStart = -1
	s.b.now = s.an.now
	i := 0
	for i < len(data) && !s.an.rep.GaveUp {
		switch s.st {
		case scanIdle:
			i = s.idle(data, i)
		case scanFrame:
			i = s.inFrame(data, i)
		case scanTrailer:
			i = s.trailer(data, i)
		case scanLine:
			i = s.line(data, i)
		case scanJunk:
			i = s.skip(data, i)
		case scanOversize:
			i = s.oversize(data, i)
		case scanResync:
			i = s.resync(data, i)
		}
	}
	s.spill(data)
}

// spill copies the unfinished frame out of data before data is reused.
func (s *side) spill(data []byte) {
	switch {
	case s.st == scanFrame && s.frameStart >= 0:
		s.frame = append(s.frame[:0], data[s.frameStart:]...)
	case s.st == scanTrailer && s.bodyInData:
		s.frame = append(s.frame[:0], s.body...)
		s.body, s.bodyInData = s.frame, false
	}
	s.frameStart = -1
}

func (s *side) idle(data []byte, i int) int {
	switch c := data[i]; c {
	case stx:
		s.mode = modeFramed
		s.st = scanFrame
		s.frame = s.frame[:0]
		s.frameStart, s.frameLen = i+1, 0
		return i + 1
	case enq:
		s.mode = modeFramed
		s.onENQ()
		return i + 1
	case eot:
		s.onEOT()
		return i + 1
	case ack:
		s.onACK()
		return i + 1
	case nak:
		s.onNAK()
		return i + 1
	case cr, lf:
		return i + 1
	case etx, etb:
		s.junk()
		return i
	}
	if s.mode == modeFramed {
		s.junk()
		return i
	}
	s.mode = modeRaw
	s.st = scanLine
	return i
}

// framingError reports a framing error and counts it on the next message.
func (s *side) framingError(detail string) {
	s.ll.framingErrors++
	s.anomaly(ReasonFramingError, detail)
}

func (s *side) junk() {
	s.st = scanJunk
	s.framingError("bytes outside a frame")
}

func (s *side) inFrame(data []byte, i int) int {
	j := i
	for j < len(data) && !frameStop[data[j]] {
		j++
	}
	s.frameLen += j - i
	if s.frameLen > s.an.cfg.MaxFrameBytes {
		s.anomaly(ReasonFrameTooLarge, "frame longer than the configured maximum; its message is dropped")
		s.abortRecords(true)
		s.seq.known = false
		s.st = scanOversize
		return j
	}
	if j == len(data) {
		if s.frameStart < 0 {
			s.frame = append(s.frame, data[i:j]...)
		}
		return j
	}
	switch c := data[j]; c {
	case etx, etb:
		if s.frameStart >= 0 {
			s.body, s.bodyInData = data[s.frameStart:j], true
		} else {
			s.frame = append(s.frame, data[i:j]...)
			s.body, s.bodyInData = s.frame, false
		}
		s.end, s.sumN = c, 0
		s.st = scanTrailer
		return j + 1
	}
	s.framingError("frame cut short by a control byte before ETX/ETB")
	s.st = scanIdle
	return j
}

// trailer reads the checksum characters after ETX/ETB. The CR LF that follow
// are skipped by idle, so trailers ending in CR, LF, both or neither all parse.
func (s *side) trailer(data []byte, i int) int {
	for ; i < len(data); i++ {
		c := data[i]
		if hexdigit.Is(c) {
			s.sum[s.sumN] = c
			s.sumN++
			if s.sumN == 2 {
				s.st = scanIdle
				s.frameDone(true)
				return i + 1
			}
			continue
		}
		s.st = scanIdle
		if s.sumN == 0 && (c == cr || c == lf || c == stx || c == eot || c == enq) {
			s.frameDone(false) // dialect: no checksum characters
			return i
		}
		s.body, s.bodyInData = nil, false
		s.framingError("frame trailer is not a two-digit checksum")
		if syncByte[c] {
			return i
		}
		return i + 1
	}
	return i
}

func (s *side) line(data []byte, i int) int {
	j := i
	for j < len(data) && !lineStop[data[j]] {
		j++
	}
	if j == len(data) {
		s.asm.feed(data[i:j], s)
		return j
	}
	s.st = scanIdle
	if c := data[j]; c == cr || c == lf {
		s.asm.feed(data[i:j+1], s)
		j++
	} else {
		s.asm.feed(data[i:j], s)
		s.asm.end(s)
	}
	s.b.flush() // raw records: nothing follows L that could still belong to it
	return j
}

// skip passes over bytes up to the next control byte that can start something.
func (s *side) skip(data []byte, i int) int {
	for ; i < len(data); i++ {
		if syncByte[data[i]] {
			s.st = scanIdle
			return i
		}
	}
	return i
}

// oversize skips the rest of a frame that passed MaxFrameBytes, up to the byte
// that ends it, wherever the slices were cut: ETX or ETB with the trailer after
// it, or a control byte that starts something new.
func (s *side) oversize(data []byte, i int) int {
	for ; i < len(data); i++ {
		if c := data[i]; frameStop[c] {
			if c == etx || c == etb {
				s.st = scanResync
				return i + 1
			}
			s.st = scanIdle
			return i
		}
	}
	return i
}

// resync skips to a frame, a control byte, or (on a raw stream) a line starting
// with "H" and a delimiter.
func (s *side) resync(data []byte, i int) int {
	for ; i < len(data); i++ {
		c := data[i]
		switch {
		case syncByte[c]:
			s.st = scanIdle
			return i
		case c == cr || c == lf:
			s.lineStart, s.sawH = true, false
			continue
		case s.mode != modeFramed && s.sawH && isDelimChar(c):
			s.sawH = false
			s.st = scanLine
			s.asm.feed(hRecord, s)
			return i
		case s.mode != modeFramed && s.lineStart && c == 'H':
			s.lineStart, s.sawH = false, true
			continue
		}
		s.lineStart, s.sawH = false, false
	}
	return i
}

// abortRecords drops the record and message in progress; with skip, records up
// to the next H are ignored.
func (s *side) abortRecords(skip bool) {
	s.asm.reset()
	s.b.drop(skip)
}

// abort drops everything in flight on this direction (gap, timeout).
func (s *side) abort() {
	if s.st != scanIdle {
		s.st = scanResync
	}
	s.frame = s.frame[:0]
	s.body, s.bodyInData = nil, false
	s.lineStart, s.sawH = false, false
	s.abortRecords(true)
	s.link = linkIdle
	s.seq.forget()
}

// finish flushes what the end of the stream completes and reports what it cuts.
func (s *side) finish(why string) {
	switch s.st {
	case scanFrame:
		s.framingError("frame not terminated before the end of the stream")
	case scanTrailer:
		if s.sumN == 0 {
			s.frameDone(false)
		} else {
			s.framingError("frame trailer cut short by the end of the stream")
		}
	case scanLine:
		s.asm.end(s)
	}
	s.st = scanIdle
	s.frame = s.frame[:0]
	s.body, s.bodyInData = nil, false
	s.endTransmission(why)
}
