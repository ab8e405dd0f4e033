package tls

import (
	"fmt"

	"labwatch/protocols/app"
)

// side walks the records of one direction. It is resumable on any split of
// the stream: a partial record header waits in hdr, a partial hello in the
// handshake reader's buffer, and everything else is skipped by count.
type side struct {
	an  *Analyzer
	dir app.Direction

	st      sideState
	hdr     [recordHeaderLen]byte
	nhdr    int
	rec     recordHeader
	remain  int  // body bytes of rec still to come
	started bool // a valid record header was seen
	// encrypted is set by ChangeCipherSpec: later handshake, alert and
	// heartbeat records of this direction are ciphertext.
	encrypted bool
	validRun  int // valid records since the last violation

	head  [3]byte // first body bytes of an alert or heartbeat record
	nhead int

	carry   [recordHeaderLen - 1]byte // unsearched tail while resynchronising
	ncarry  int
	skipped int // bytes searched since the resync began

	hs handshakeReader

	v2version uint16 // version of an SSL 2.0 format ClientHello
}

type sideState uint8

const (
	stHeader sideState = iota
	stBody
	stResync
	stV2Body // body of an SSL 2.0 format ClientHello
)

// validRunToClear is how many consecutive valid records clear the violation
// count: a flow picked up mid-stream that resynchronised is healthy again.
const validRunToClear = 3

// data handles the next bytes of the direction.
func (s *side) Data(b []byte) {
	for len(b) > 0 && !s.an.rep.GaveUp {
		switch s.st {
		case stHeader:
			n := copy(s.hdr[s.nhdr:], b)
			s.nhdr += n
			b = b[n:]
			if s.nhdr == recordHeaderLen {
				s.nhdr = 0
				s.header()
			}
		case stBody:
			n := min(len(b), s.remain)
			s.body(b[:n])
			s.remain -= n
			b = b[n:]
			if s.remain == 0 {
				s.endRecord()
			}
		case stResync:
			b = s.resync(b)
		case stV2Body:
			n := min(len(b), s.remain)
			s.hs.buf = append(s.hs.buf, b[:n]...)
			s.remain -= n
			b = b[n:]
			if s.remain == 0 {
				s.st = stHeader
				s.an.helloV2(s, s.hs.buf)
				s.hs.buf = s.hs.buf[:0]
			}
		}
	}
}

// header handles a complete record header in s.hdr.
func (s *side) header() {
	if !s.started && isV2Hello(s.hdr[:]) {
		s.startV2()
		return
	}
	s.rec = decodeHeader(s.hdr[:])
	switch s.rec.check(s.an.cfg.MaxRecordBytes) {
	case headerBad:
		reason, what := ReasonBadRecord, "record header"
		if !s.started {
			reason, what = ReasonNotTLS, "first record header of the direction"
		}
		// The header's bytes are not quoted: they may be another protocol's text.
		s.an.report(s.dir, reason, what+" is not a TLS header; searching for the next one", true)
		s.startResync(s.hdr[1:])
		return
	case headerTooLong:
		s.an.report(s.dir, ReasonRecordTooLarge, fmt.Sprintf("record of %d bytes exceeds the cap of %d; searching for the next header",
			s.rec.length, s.an.cfg.MaxRecordBytes), true)
		s.startResync(s.hdr[1:])
		return
	}
	s.started = true
	if s.validRun++; s.validRun >= validRunToClear {
		s.an.rep.Violations = 0
	}
	s.st, s.remain, s.nhead = stBody, s.rec.length, 0
	if s.remain == 0 {
		s.endRecord()
	}
}

// body handles the next bytes of the current record's body.
func (s *side) body(p []byte) {
	if s.encrypted {
		return
	}
	switch s.rec.typ {
	case recordHandshake:
		s.hs.feed(s, p)
	case recordAlert, recordHeartbeat:
		s.nhead += copy(s.head[s.nhead:], p)
	}
}

// endRecord closes the current record.
func (s *side) endRecord() {
	s.st = stHeader
	switch s.rec.typ {
	case recordChangeCipherSpec:
		s.encrypted = true
		s.hs.reset()
	case recordAlert:
		if !s.encrypted && s.nhead >= 2 && s.rec.length == 2 {
			s.an.emitAlert(s, s.head[0], s.head[1])
		}
	case recordHeartbeat:
		s.checkHeartbeat()
	}
}

// checkHeartbeat flags a clear-text heartbeat request that claims more payload
// than its record holds (RFC 6520 §4), the shape of a Heartbleed probe.
func (s *side) checkHeartbeat() {
	if s.encrypted || s.nhead < 3 {
		return
	}
	claimed := int(s.head[1])<<8 | int(s.head[2])
	const minPadding = 16
	if 3+claimed+minPadding > s.rec.length {
		s.an.report(s.dir, ReasonHeartbeatOverread, fmt.Sprintf("heartbeat claims %d payload bytes in a %d-byte record",
			claimed, s.rec.length), false)
	}
}

// gap handles n lost bytes (n < 0: unknown). Inside an opaque record body the
// count alone keeps the walker in step; anywhere else it resynchronises.
func (s *side) Gap(n int) {
	if n >= 0 && s.st == stBody && n < s.remain && (s.encrypted || s.rec.typ != recordHandshake) {
		s.remain -= n
		return
	}
	detail := "bytes lost in capture; searching for the next record header"
	if n >= 0 {
		detail = fmt.Sprintf("%d bytes lost in capture; searching for the next record header", n)
	}
	s.an.report(s.dir, ReasonGapResync, detail, false)
	s.hs.reset()
	s.startResync(nil)
}

// startResync enters the search for a record header; tail holds bytes already
// taken from the stream that must be searched too.
func (s *side) startResync(tail []byte) {
	s.st, s.nhdr, s.skipped, s.validRun = stResync, 0, 0, 0
	s.ncarry = copy(s.carry[:], tail)
}

// resync searches b (after the carried tail) for a plausible record header
// and returns the bytes from it on, or nil when b holds none.
func (s *side) resync(b []byte) []byte {
	maxLen := s.an.cfg.MaxRecordBytes
	if s.ncarry > 0 {
		var win [2*recordHeaderLen - 2]byte
		n := copy(win[:], s.carry[:s.ncarry])
		n += copy(win[n:], b)
		for i := 0; i < s.ncarry; i++ {
			if i+recordHeaderLen > n {
				// Too few bytes to test from i on: they are all in win and
				// fewer than a header, so carry them.
				s.ncarry = copy(s.carry[:], win[i:n])
				s.skipped += i
				return nil
			}
			if plausibleAt(win[i:], maxLen) {
				s.nhdr = copy(s.hdr[:], s.carry[i:s.ncarry])
				s.ncarry, s.st = 0, stHeader
				return b
			}
		}
		s.skipped += s.ncarry
		s.ncarry = 0
	}
	// Search at most up to the resync limit in one pass, so a long run of
	// garbage in one call is reported as often as the same run in many.
	scan := b
	if limit := s.an.cfg.MaxResyncBytes - s.skipped + recordHeaderLen; len(scan) > limit {
		scan = b[:max(limit, recordHeaderLen)]
	}
	for j := 0; j+recordHeaderLen <= len(scan); j++ {
		if scan[j+1] == 3 && plausibleAt(scan[j:], maxLen) {
			s.skipped += j
			s.st = stHeader
			return b[j:]
		}
	}
	keep := min(len(scan), recordHeaderLen-1)
	s.skipped += len(scan) - keep
	if s.skipped >= s.an.cfg.MaxResyncBytes {
		s.an.report(s.dir, ReasonNoResync, fmt.Sprintf("no record header in %d bytes", s.skipped), true)
		s.skipped = 0
	}
	if len(scan) < len(b) {
		return b[len(scan)-keep:]
	}
	s.ncarry = copy(s.carry[:], b[len(b)-keep:])
	return nil
}

// finish reports a hello cut off by the end of the direction.
func (s *side) End(why string) {
	if s.hs.pending() {
		s.an.report(s.dir, ReasonTruncatedHello, fmt.Sprintf("handshake message type %d incomplete when %s", s.hs.typ, why), false)
	}
	s.hs.reset()
}
