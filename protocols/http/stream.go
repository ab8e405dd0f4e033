package http

import (
	"bytes"
	"fmt"

	"labwatch/protocols/app"
)

// side parses the messages of one direction. It is resumable on any split of
// the stream: an unfinished header block waits in hbuf (bounded by
// MaxHeaderBytes), an unfinished chunk-size line in line (MaxChunkLine), the
// inspected prefix of a body in bbuf (MaxBodyInspect); the rest of a body is
// skipped by count. A header block that lies whole in one Data slice is parsed
// in place.
type side struct {
	an  *Analyzer
	dir app.Direction
	st  state

	hbuf []byte
	line []byte
	bbuf []byte

	h         head
	bodyLeft  int64 // Content-Length body or chunk bytes still to come
	bodyBytes int64
	headBytes int
	inspect   bool // the body is examined (a clinical or text content type)
	gzip      bool // the examined body is gzip-encoded
	cut       bool // the examined prefix ended early (cap or gap)
	skipped   int  // bytes searched while resynchronising
	started   bool // a message head was seen on this direction

	m msgState
}

type state uint8

const (
	stStart      state = iota // before a start line; blank lines skipped
	stHead                    // reading the start line and headers
	stBody                    // Content-Length body
	stChunkSize               // chunk-size line
	stChunkData               // chunk data
	stChunkEnd                // CRLF after chunk data
	stTrailers                // trailer lines after the last chunk
	stUntilClose              // response body delimited by the close
	stResync                  // searching for a start line
	stTunnel                  // after an upgrade or CONNECT: not HTTP any more
)

// data handles the next bytes of the direction.
func (s *side) Data(b []byte) {
	for len(b) > 0 && !s.an.rep.GaveUp {
		switch s.st {
		case stStart:
			i := 0
			for i < len(b) && (b[i] == '\r' || b[i] == '\n') {
				i++
			}
			b = b[i:]
			if len(b) > 0 {
				s.st = stHead
			}
		case stHead:
			b = s.head(b)
		case stBody:
			n := int(min(int64(len(b)), s.bodyLeft))
			s.body(b[:n])
			s.bodyLeft -= int64(n)
			b = b[n:]
			if s.bodyLeft == 0 {
				s.finish()
			}
		case stChunkSize:
			b = s.chunkSize(b)
		case stChunkData:
			n := int(min(int64(len(b)), s.bodyLeft))
			s.body(b[:n])
			s.bodyLeft -= int64(n)
			b = b[n:]
			if s.bodyLeft == 0 {
				s.st = stChunkEnd
			}
		case stChunkEnd:
			b = s.chunkEnd(b)
		case stTrailers:
			b = s.trailers(b)
		case stUntilClose:
			s.body(b)
			b = nil
		case stResync:
			b = s.resync(b)
		case stTunnel:
			return
		}
	}
}

// head collects the header block and handles it once complete. The start
// line is judged as soon as it is complete, so that after a bad one the search
// for the next message starts on the following line.
func (s *side) head(b []byte) []byte {
	if len(s.hbuf) == 0 {
		if i := bytes.IndexByte(b, '\n'); i >= 0 && !validStart(b[:i]) {
			s.badStart(i + 1)
			return b[i+1:]
		}
		if e := headEnd(b, 0); e > 0 && e <= s.an.cfg.MaxHeaderBytes {
			s.headDone(b[:e])
			return b[e:]
		} else if e > 0 {
			s.tooLarge()
			return b[e:]
		}
	}
	prev := len(s.hbuf)
	room := s.an.cfg.MaxHeaderBytes - prev
	take := min(len(b), room)
	hadLine := bytes.IndexByte(s.hbuf, '\n') >= 0
	s.hbuf = append(s.hbuf, b[:take]...)
	if i := bytes.IndexByte(s.hbuf, '\n'); !hadLine && i >= 0 && !validStart(s.hbuf[:i]) {
		s.hbuf = s.hbuf[:0]
		s.badStart(i + 1)
		return b[i+1-prev:]
	}
	if e := headEnd(s.hbuf, max(0, prev-2)); e > 0 {
		used := e - prev
		s.headDone(s.hbuf[:e])
		s.hbuf = s.hbuf[:0]
		return b[used:]
	}
	if take < len(b) || len(s.hbuf) >= s.an.cfg.MaxHeaderBytes {
		s.tooLarge()
		return b[take:]
	}
	return nil
}

// tooLarge drops a header block past MaxHeaderBytes; its body cannot be
// delimited, so the direction resynchronises.
func (s *side) tooLarge() {
	s.an.report(s.dir, ReasonHeaderTooLarge, fmt.Sprintf("start line and headers exceed %d bytes", s.an.cfg.MaxHeaderBytes), true)
	s.startResync()
}

// validStart tells whether line (its LF excluded) is a request or status line.
func validStart(line []byte) bool {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	var h head
	return h.startLine(line) == nil
}

func (s *side) badStart(n int) {
	s.an.report(s.dir, ReasonBadStartLine, fmt.Sprintf("a %d-byte line is not a request or status line", n), true)
	s.startResync()
}

// headEnd returns the offset just past the blank line ending a header block,
// searching from from, or -1.
func headEnd(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		if b[i] != '\n' {
			continue
		}
		if i+1 < len(b) && b[i+1] == '\n' {
			return i + 2
		}
		if i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n' {
			return i + 3
		}
	}
	return -1
}

// headDone parses a complete header block and sets up the body.
func (s *side) headDone(block []byte) {
	if err := parseHead(block, s.an.cfg.MaxHeaders, &s.h); err != nil {
		reason := ReasonBadHeader
		if err == errStartLine {
			reason = ReasonBadStartLine
		}
		s.an.report(s.dir, reason, fmt.Sprintf("%v (header block of %d bytes)", err, len(block)), true)
		s.startResync()
		return
	}
	s.started = true
	s.headBytes, s.bodyBytes, s.cut, s.bbuf = len(block), 0, false, s.bbuf[:0]
	if s.h.ambiguous {
		s.an.report(s.dir, ReasonAmbiguousLength, "message declares both chunked coding and Content-Length, or two lengths", false)
	}
	s.an.begin(s)
	s.inspect, s.gzip = inspectable(s.h.contentType, s.h.contentEncoding)
	if !s.inspect && len(s.h.contentEncoding) > 0 {
		s.m.counts[CountEncodedBody] = 1
	}
	switch framing := s.an.framing(s); {
	case framing == frameTunnel:
		s.finish()
		s.st = stTunnel
	case framing == frameNone:
		s.finish()
	case s.h.chunked:
		s.st, s.line = stChunkSize, s.line[:0]
	case s.h.contentLength > 0:
		s.st, s.bodyLeft = stBody, s.h.contentLength
	case s.h.contentLength == 0 || !s.h.response:
		s.finish()
	default:
		s.st = stUntilClose
	}
}

// inspectable tells whether a body of this type is examined: clinical and
// text types, or no declared type. gzip bodies are inflated (bounded).
func inspectable(ctype, encoding []byte) (inspect, gzip bool) {
	if len(encoding) > 0 && !bytes.EqualFold(encoding, []byte("identity")) {
		if !bytes.EqualFold(encoding, []byte("gzip")) && !bytes.EqualFold(encoding, []byte("x-gzip")) {
			return false, false
		}
		gzip = true
	}
	if len(ctype) == 0 {
		return true, gzip
	}
	lower := bytes.ToLower(ctype)
	for _, k := range [...]string{"json", "xml", "fhir", "hl7", "text/", "er7"} {
		if bytes.Contains(lower, []byte(k)) {
			return true, gzip
		}
	}
	return false, false
}

// body handles body bytes: counted, and the first MaxBodyInspect kept.
func (s *side) body(p []byte) {
	s.bodyBytes += int64(len(p))
	if !s.inspect || s.cut {
		return
	}
	room := s.an.cfg.MaxBodyInspect - len(s.bbuf)
	if len(p) > room {
		p = p[:room]
		s.cut = true
	}
	s.bbuf = append(s.bbuf, p...)
}

// chunkSize reads a chunk-size line: hex digits, optional extensions.
func (s *side) chunkSize(b []byte) []byte {
	i := bytes.IndexByte(b, '\n')
	part := b
	if i >= 0 {
		part = b[:i]
	}
	if len(s.line)+len(part) > s.an.cfg.MaxChunkLine {
		s.badChunk("chunk-size line longer than the cap")
		return b[len(part):]
	}
	s.line = append(s.line, part...)
	if i < 0 {
		return nil
	}
	size, ok := parseChunkSize(s.line)
	s.line = s.line[:0]
	if !ok {
		s.badChunk("chunk-size line is not a hex length")
		return b[i+1:]
	}
	s.m.counts[CountChunks]++
	if size == 0 {
		s.st = stTrailers
	} else {
		s.st, s.bodyLeft = stChunkData, size
	}
	return b[i+1:]
}

// parseChunkSize reads the hex size before any ";" extension (at most 15
// digits, no overflow).
func parseChunkSize(line []byte) (int64, bool) {
	line, _, _ = bytes.Cut(line, []byte(";"))
	line = bytes.TrimSpace(line)
	if len(line) == 0 || len(line) > 15 {
		return 0, false
	}
	var n int64
	for _, c := range line {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | int64(d)
	}
	return n, true
}

// chunkEnd consumes the CRLF after chunk data.
func (s *side) chunkEnd(b []byte) []byte {
	if b[0] == '\r' {
		return b[1:]
	}
	if b[0] == '\n' {
		s.st = stChunkSize
		return b[1:]
	}
	s.badChunk("chunk data not followed by CRLF")
	return b
}

// trailers skips trailer lines up to the empty line that ends the message.
// s.line holds the current line's length only as a flag: empty or not.
func (s *side) trailers(b []byte) []byte {
	for i, c := range b {
		switch c {
		case '\r':
		case '\n':
			if len(s.line) == 0 {
				s.finish()
				return b[i+1:]
			}
			s.line = s.line[:0]
		default:
			if len(s.line) == 0 {
				s.line = append(s.line, 'x')
			}
		}
	}
	return nil
}

func (s *side) badChunk(detail string) {
	s.an.report(s.dir, ReasonBadChunk, detail, true)
	s.line = s.line[:0]
	s.startResync()
}

// finish emits the message whose head and body are complete.
func (s *side) finish() {
	s.an.emitMessage(s)
	s.st = stStart
}

// gap handles n lost bytes (n < 0: unknown). Inside a body of known length
// the count keeps the parser in step and only inspection stops; anywhere else
// the message is dropped and the direction resynchronises.
func (s *side) Gap(n int) {
	switch {
	case s.st == stTunnel:
		return
	case s.st == stUntilClose && n >= 0:
		s.cut = true
		s.bodyBytes += int64(n)
		return
	case (s.st == stBody || s.st == stChunkData) && n >= 0 && int64(n) < s.bodyLeft:
		s.cut = true
		s.bodyLeft -= int64(n)
		s.bodyBytes += int64(n)
		return
	}
	detail := "bytes lost in capture; searching for the next start line"
	if n >= 0 {
		detail = fmt.Sprintf("%d bytes lost in capture; searching for the next start line", n)
	}
	s.an.report(s.dir, ReasonGapResync, detail, false)
	s.startResync()
}

func (s *side) startResync() {
	s.st, s.skipped = stResync, 0
	s.hbuf, s.line, s.bbuf = s.hbuf[:0], s.line[:0], s.bbuf[:0]
}

// startTokens begin a line that starts a message.
var startTokens = func() [][]byte {
	out := [][]byte{[]byte("HTTP/1.")}
	for _, m := range methods {
		out = append(out, []byte(m+" "))
	}
	return out
}()

// resync searches b for a line that starts with a method or "HTTP/1." and
// returns the bytes from it on. A line start near the end of b that could
// still become one goes to the head parser, which judges the full line.
func (s *side) resync(b []byte) []byte {
	for start := 0; start < len(b); {
		rest := b[start:]
		if mayStartMessage(rest) {
			s.st = stHead
			return rest
		}
		step := len(rest)
		if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
			step = nl + 1
		}
		s.searched(step)
		start += step
	}
	return nil
}

// mayStartMessage tells whether b starts with a start token, or with a prefix
// of one that is cut by the end of b.
func mayStartMessage(b []byte) bool {
	for _, t := range startTokens {
		if bytes.HasPrefix(b, t) || len(b) < len(t) && bytes.HasPrefix(t, b) {
			return true
		}
	}
	return false
}

// searched counts bytes skipped while resynchronising: one violation per
// MaxResyncBytes.
func (s *side) searched(n int) {
	s.skipped += n
	for s.skipped >= s.an.cfg.MaxResyncBytes && !s.an.rep.GaveUp {
		s.an.report(s.dir, ReasonNoResync, fmt.Sprintf("no start line in %d bytes", s.an.cfg.MaxResyncBytes), true)
		s.skipped -= s.an.cfg.MaxResyncBytes
	}
}

// end reports a message cut off by the end of the direction; a body delimited
// by the close is complete.
func (s *side) End(why string) {
	switch s.st {
	case stUntilClose:
		s.finish()
	case stHead, stBody, stChunkSize, stChunkData, stChunkEnd, stTrailers:
		if s.st != stHead || len(s.hbuf) > 0 {
			s.an.report(s.dir, ReasonTruncated, "message incomplete when "+why, false)
		}
	}
	s.st = stStart
	s.hbuf = s.hbuf[:0]
}
