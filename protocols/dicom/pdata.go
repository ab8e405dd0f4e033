package dicom

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Message control header bits of a PDV (PS3.8 annex E.2).
const (
	pdvCommand = 0x01 // the fragment belongs to a command set (else a data set)
	pdvLast    = 0x02 // the last fragment of its command or data set
)

// pdvState is the PDV being read inside a P-DATA-TF.
type pdvState struct {
	hdr    [pdvHeaderLen]byte
	n      int
	remain uint32 // fragment bytes still to come
	ctx    byte
	flags  byte
	count  int // PDVs so far in this PDU
}

// pduFindings is what one P-DATA-TF carried, reported on its message.
type pduFindings struct {
	phi                   phiFound
	commandPDVs, dataPDVs int
	commands              int
	command               string // name of the last command set completed
	sopClass              string
	status                uint16
	hasStatus             bool
	messageID             uint16
	hasID                 bool
	latency               time.Duration // of the response completed in this PDU
	ctxReported           bool          // unknown_context already reported for this PDU
}

func (p *pduFindings) reset() { *p = pduFindings{} }

// dataPDU runs the PDV states over b and returns what it did not use.
func (s *side) dataPDU(b []byte) []byte {
	if s.st == stPDVHeader {
		if s.pdv.n == 0 && s.remain < pdvHeaderLen {
			s.an.report(s.dir, ReasonBadPDV, fmt.Sprintf("%d stray bytes after the last PDV", s.remain), true)
			s.skip(false)
			return b
		}
		k := copy(s.pdv.hdr[s.pdv.n:], b)
		s.pdv.n += k
		s.remain -= uint32(k)
		if s.pdv.n == pdvHeaderLen {
			s.pdv.n = 0
			s.startPDV()
		}
		return b[k:]
	}
	k := int(min(uint64(s.pdv.remain), uint64(len(b))))
	s.fragment(b[:k])
	s.pdv.remain -= uint32(k)
	s.remain -= uint32(k)
	if s.pdv.remain == 0 {
		s.endPDV()
	}
	return b[k:]
}

// startPDV checks a complete PDV header.
func (s *side) startPDV() {
	a := s.an
	n := binary.BigEndian.Uint32(s.pdv.hdr[:])
	s.pdv.ctx, s.pdv.flags = s.pdv.hdr[4], s.pdv.hdr[5]
	s.pdv.count++
	if s.pdv.count > a.cfg.MaxPDVsPerPDU {
		a.report(s.dir, ReasonTooManyPDVs, fmt.Sprintf("more than %d PDVs in one P-DATA-TF; the rest is skipped", a.cfg.MaxPDVsPerPDU), true)
		s.skip(true)
		return
	}
	if n < 2 || n-2 > s.remain {
		a.report(s.dir, ReasonBadPDV, fmt.Sprintf("PDV length %d does not fit the %d bytes left in its PDU", n, s.remain+2), true)
		s.skip(false)
		return
	}
	if s.pdv.flags > pdvCommand|pdvLast {
		a.report(s.dir, ReasonBadPDV, fmt.Sprintf("PDV message control header 0x%02x has reserved bits set", s.pdv.flags), true)
	}
	if !a.ctx.known(s.pdv.ctx) && !s.pdu.ctxReported {
		s.pdu.ctxReported = true
		a.report(s.dir, ReasonUnknownContext, fmt.Sprintf("PDV on presentation context %d, which the association did not accept", s.pdv.ctx), false)
	}
	if s.pdv.flags&pdvCommand != 0 {
		s.pdu.commandPDVs++
	} else {
		s.pdu.dataPDVs++
	}
	s.pdv.remain = n - 2
	s.st = stPDVValue
	if s.pdv.remain == 0 {
		s.endPDV()
	}
}

// fragment hands PDV bytes to the command buffer or the data set scanner.
func (s *side) fragment(v []byte) {
	a := s.an
	if s.pdv.flags&pdvCommand != 0 {
		switch {
		case s.cmdDrop:
		case len(s.cmd)+len(v) > a.cfg.MaxCommandBytes:
			a.report(s.dir, ReasonCommandTooLarge, fmt.Sprintf("command set past the cap of %d bytes", a.cfg.MaxCommandBytes), true)
			s.cmd, s.cmdDrop = s.cmd[:0], true
		default:
			s.cmd = append(s.cmd, v...)
		}
		return
	}
	s.pdu.phi.datasetBytes += len(v)
	if !s.ds.active {
		s.ds.begin(a.ctx.syntax[s.pdv.ctx])
	}
	if detail := s.ds.feed(v, &s.pdu.phi); detail != "" {
		a.report(s.dir, ReasonBadDataset, detail, true)
	}
}

// endPDV closes a PDV: a last fragment completes its command or data set, and
// the last PDV of the PDU completes the PDU.
func (s *side) endPDV() {
	a := s.an
	if s.pdv.flags&pdvLast != 0 {
		if s.pdv.flags&pdvCommand != 0 {
			s.commandDone()
		} else if !s.ds.finish() {
			a.report(s.dir, ReasonBadDataset, "data set ended inside an element", true)
		}
	}
	s.st = stPDVHeader
	if s.remain == 0 {
		s.st = stHeader
		a.emitData(s)
	}
}

// commandDone parses a complete command set.
func (s *side) commandDone() {
	a := s.an
	defer func() { s.cmd = s.cmd[:0] }()
	if s.cmdDrop {
		s.cmdDrop = false
		return
	}
	c, err := parseCommand(s.cmd)
	if err != nil {
		a.report(s.dir, ReasonBadCommand, err.Error(), true)
		return
	}
	p := &s.pdu
	p.commands++
	p.command = c.name()
	p.sopClass = a.ctx.intern(c.sopClass)
	if p.sopClass == "" && len(c.sopClass) > 0 {
		p.sopClass = cleanText(c.sopClass, a.cfg.MaxUIDBytes)
	}
	p.status, p.hasStatus = c.status, c.hasStatus && c.isResponse()
	p.messageID, p.hasID = c.messageID, c.hasID
	switch {
	case c.isResponse():
		p.messageID = c.responded
		final := !c.hasStatus || statusClass(c.status) != "pending"
		p.latency, _ = a.corr.response(s.dir, c.responded, a.now, final)
	case c.hasID && c.field != 0x0FFF: // C-CANCEL-RQ answers nothing
		a.corr.request(s.dir, c.messageID, a.now)
	}
}

// skip passes over the rest of the PDU; emit tells whether it is still
// reported as a message.
func (s *side) skip(emit bool) {
	s.st, s.emitAfterSkip = stSkip, emit
	if s.remain == 0 {
		s.skipDone()
	}
}
