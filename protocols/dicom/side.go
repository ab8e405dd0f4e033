package dicom

import (
	"encoding/binary"
	"fmt"

	"labwatch/protocols/app"
)

// state is where a side is within its byte stream.
type state uint8

const (
	stHeader    state = iota // reading a 6-byte PDU header
	stControl                // buffering the body of an association, release or abort PDU
	stPDVHeader              // reading a 6-byte PDV header inside a P-DATA-TF
	stPDVValue               // streaming a PDV's fragment
	stSkip                   // skipping the rest of a PDU (a cap was reached)
	stResync                 // looking for a PDU header after a gap or a framing error
)

// side is the parser of one direction. It never keeps a reference to the
// bytes handed to it: headers are gathered into fixed arrays, association
// bodies and command sets into its own bounded buffers.
type side struct {
	an      *Analyzer
	dir     app.Direction
	st      state
	started bool // a byte was seen (the TLS check is done)
	closed  bool

	hdr    [pduHeaderLen]byte
	hn     int
	typ    byte
	length uint32 // of the current PDU's body
	remain uint32 // body bytes still to come
	body   []byte // association PDU body, cap MaxControlPDUBytes
	// violationsAtStart is the flow's violation count when the PDU began.
	violationsAtStart int
	// emitAfterSkip tells stSkip whether the PDU is still reported (a
	// P-DATA-TF past MaxPDVsPerPDU) or dropped (an oversized control PDU).
	emitAfterSkip bool

	pdv      pdvState
	cmd      []byte // command set being gathered, cap MaxCommandBytes
	cmdDrop  bool   // the command set passed its cap: skip to its last fragment
	ds       dsScanner
	pdu      pduFindings
	skipped  int // bytes passed over while resynchronising
	hold     [startCheckLen]byte
	holdN    int
	seam     [2 * startCheckLen]byte
	heldCopy [startCheckLen]byte
}

// consume runs the state machine over b until it is used up.
func (s *side) consume(b []byte) {
	a := s.an
	for len(b) > 0 && !a.rep.GaveUp {
		switch s.st {
		case stResync:
			b = s.resync(b)
		case stHeader:
			k := copy(s.hdr[s.hn:], b)
			s.hn += k
			b = b[k:]
			if s.hn == pduHeaderLen {
				s.hn = 0
				s.startPDU()
			}
		case stControl:
			k := int(min(uint64(s.remain), uint64(len(b))))
			s.body = append(s.body, b[:k]...)
			s.remain -= uint32(k)
			b = b[k:]
			if s.remain == 0 {
				s.controlDone()
			}
		case stSkip:
			k := int(min(uint64(s.remain), uint64(len(b))))
			s.remain -= uint32(k)
			b = b[k:]
			if s.remain == 0 {
				s.skipDone()
			}
		case stPDVHeader, stPDVValue:
			b = s.dataPDU(b)
		}
	}
}

// startPDU checks a complete PDU header and picks the state for its body.
func (s *side) startPDU() {
	a := s.an
	s.typ = s.hdr[0]
	s.length = binary.BigEndian.Uint32(s.hdr[2:])
	s.remain = s.length
	s.violationsAtStart = a.rep.Violations
	switch {
	case !knownPDU(s.typ) || s.hdr[1] != 0:
		s.fail(ReasonBadPDUType, fmt.Sprintf("PDU header with type 0x%02x, reserved 0x%02x", s.typ, s.hdr[1]))
	case uint64(s.length) > uint64(a.cfg.MaxPDUBytes):
		s.fail(ReasonPDUTooLarge, fmt.Sprintf("%s of %d bytes is past the cap of %d", pduNames[s.typ], s.length, a.cfg.MaxPDUBytes))
	case s.typ == pduDataTF && s.length < pdvHeaderLen:
		s.fail(ReasonBadPDULength, fmt.Sprintf("P-DATA-TF of %d bytes cannot hold a PDV", s.length))
	case s.typ == pduDataTF:
		s.pdu.reset()
		s.pdv = pdvState{}
		s.st = stPDVHeader
	case uint64(s.length) > uint64(a.cfg.MaxControlPDUBytes):
		a.report(s.dir, ReasonPDUTooLarge, fmt.Sprintf("%s of %d bytes is past the cap of %d; skipped", pduNames[s.typ], s.length, a.cfg.MaxControlPDUBytes), true)
		s.skip(false)
	default:
		s.body = s.body[:0]
		s.st = stControl
		if s.remain == 0 {
			s.controlDone()
		}
	}
}

// fail reports a header that cannot start a PDU and rescans from its second
// byte: the real header may start inside it.
func (s *side) fail(reason, detail string) {
	s.an.report(s.dir, reason, detail, true)
	s.resetTo(stResync)
	s.holdN = copy(s.hold[:], s.hdr[1:])
}

// skipDone ends a PDU whose body was skipped.
func (s *side) skipDone() {
	s.st = stHeader
	if s.emitAfterSkip {
		s.an.emitData(s)
	}
}

// resetTo abandons whatever is in flight on the side.
func (s *side) resetTo(st state) {
	s.st, s.hn, s.holdN, s.remain = st, 0, 0, 0
	s.body = s.body[:0]
	s.cmd, s.cmdDrop = s.cmd[:0], false
	s.ds = dsScanner{}
	s.pdv = pdvState{}
	s.pdu.reset()
}

// finish reports a PDU cut short by the end of the stream or of the flow.
func (s *side) finish(why string) {
	if s.closed {
		return
	}
	s.closed = true
	open := s.hn > 0 || s.st == stControl || s.st == stSkip || s.st == stPDVHeader || s.st == stPDVValue
	if open {
		what := "PDU header"
		if s.st != stHeader {
			what = pduNames[s.typ]
		}
		s.an.report(s.dir, ReasonTruncatedPDU, fmt.Sprintf("%s: a %s was incomplete", why, what), false)
	}
	s.resetTo(stHeader)
}
