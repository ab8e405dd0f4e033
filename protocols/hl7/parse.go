package hl7

import (
	"encoding/binary"
	"sync"
)

// ParseMessage parses one HL7 v2 message (no MLLP framing) and returns its
// summary. The message must start with MSH, after optional blank lines or a
// UTF-8 byte order mark; UTF-16 input is transcoded first. Parsing stops at
// the next line that starts another record (MSH, FHS, BHS, BTS, FTS):
// Summary.Bytes says how much of msg the message used, so a caller can
// continue after it. On error the summary holds what could be read and
// Bytes is still set. A nil cfg means DefaultConfig.
//
// The parser works on the byte slice in place: fields are sub-slices, nothing
// is converted to string until the few header values are copied at the end,
// in one allocation.
func ParseMessage(msg []byte, cfg *Config) (Summary, error) {
	var p parser
	p.cfg = withDefaults(cfg)
	err := p.parseAny(msg)
	return p.s, err
}

// parseAny handles the encodings around parse: UTF-16 and leading padding.
func (p *parser) parseAny(msg []byte) error {
	s := &p.s
	if order, bom := detectUTF16(msg); order != notUTF16 {
		out, complete, ok := appendUTF8(nil, msg[bom:], order, p.cfg.MaxMessageBytes)
		if !ok {
			*s = Summary{Bytes: len(msg)}
			return ErrBadUTF16
		}
		off := skipPadding(out)
		err := p.parse(out[off:])
		s.Bytes = len(msg) // UTF-16 input is consumed whole
		s.Encoding = order.String()
		if !complete {
			s.Truncated = true
			s.Warnings.add(WarnTruncated)
		}
		return err
	}
	off := skipPadding(msg)
	err := p.parse(msg[off:])
	s.Bytes += off
	return err
}

// skipPadding returns the length of the blank lines, spaces, NUL bytes and
// UTF-8 byte order mark before a message.
func skipPadding(b []byte) int {
	i := 0
	for i < len(b) {
		switch {
		case b[i] == '\r' || b[i] == '\n' || b[i] == ' ' || b[i] == '\t' || b[i] == 0:
			i++
		case len(b)-i >= 3 && b[i] == 0xEF && b[i+1] == 0xBB && b[i+2] == 0xBF:
			i += 3
		default:
			return i
		}
	}
	return i
}

// The raw values the parser keeps until finish copies them.
const (
	vSendApp = iota
	vSendFac
	vRecvApp
	vRecvFac
	vTime
	vType
	vEvent
	vStructure
	vControlID
	vProcessingID
	vVersion
	vAcceptAck
	vAppAck
	vCharset
	vAckCode
	vAckControlID
	vErrorCode
	vDevice
	vSftVendor
	vSftVersion
	vSftProduct
	numVals
)

// parser holds the state of one parse and its result. It owns its config
// and summary by value so that, on the caller's stack, nothing escapes; the
// field table is scratch reused for every segment.
type parser struct {
	cfg  Config
	s    Summary
	sep  Separators
	vals [numVals][]byte
	f    [maxFieldIndex + 1][]byte
	sb   stringBlock
}

// parsers are shared by all flows: a parser is only needed while one message
// is parsed and reported, so flows borrow one instead of each holding its own.
var parsers = sync.Pool{New: func() any { return new(parser) }}

func borrowParser(cfg *Config) *parser {
	p := parsers.Get().(*parser)
	p.cfg = *cfg
	return p
}

func returnParser(p *parser) {
	p.s = Summary{} // drop references into the stream's buffers
	parsers.Put(p)
}

// parse reads a message that starts at msg[0] into p.s.
func (p *parser) parse(msg []byte) error {
	s := &p.s
	*s = Summary{}
	p.vals = [numVals][]byte{}
	if len(msg) == 0 {
		return ErrEmpty
	}
	if headerKind(msg) != recMSH {
		s.Bytes = recordEnd(msg)
		return ErrNoMSH
	}
	sep, ok := readSeparators(msg[:lineEnd(msg, 0)])
	if !ok {
		s.Bytes = recordEnd(msg)
		return ErrBadSeparators
	}
	p.sep, s.Separators = sep, sep
	p.walk(msg)
	if err := p.checkHeader(); err != nil {
		p.finish() // keep what was read: sender, control ID...
		return err
	}
	p.finish()
	return nil
}

// recordEnd is where the record starting at msg[0] ends: at the next line
// that starts a record, or at the end.
func recordEnd(msg []byte) int {
	if at, _ := findRecord(msg, 0, false); at >= 0 {
		return at
	}
	return len(msg)
}

func lineEnd(b []byte, i int) int {
	for i < len(b) && !isEOL(b[i]) {
		i++
	}
	return i
}

// scanLine finds the end of the line starting at i and tells whether it
// holds control bytes other than TAB (NUL, STX, ESC... never belong in HL7).
// It tests eight bytes at a time: a word without any byte below 0x20 or
// equal to 0x7F is skipped whole, so long fields cost little.
func scanLine(b []byte, i int) (end int, ctrl bool) {
	for i < len(b) {
		if i+8 <= len(b) && !hasControl(binary.LittleEndian.Uint64(b[i:])) {
			i += 8
			continue
		}
		for stop := min(i+8, len(b)); i < stop; i++ {
			if c := b[i]; c < 0x20 || c == 0x7f {
				if c == '\r' || c == '\n' {
					return i, ctrl
				}
				if c != '\t' {
					ctrl = true
				}
			}
		}
	}
	return i, ctrl
}

const (
	ones8  = 0x0101010101010101
	highs8 = 0x8080808080808080
)

// hasControl tells whether any byte of x is below 0x20 or is 0x7F, with
// the classic "has less than" and "has zero" word tricks (exact for these
// constants).
func hasControl(x uint64) bool {
	below := (x - ones8*0x20) &^ x
	del := x ^ (ones8 * 0x7f)
	isDel := (del - ones8) &^ del
	return (below|isDel)&highs8 != 0
}

// walk visits every segment up to the next record and sets s.Bytes.
func (p *parser) walk(msg []byte) {
	s := &p.s
	pos, index := 0, 0
	for pos < len(msg) {
		if index > 0 && headerKind(msg[pos:]) != recNone {
			break // the next message or batch segment starts here
		}
		end, ctrl := scanLine(msg, pos)
		line := msg[pos:end]
		for end < len(msg) && isEOL(msg[end]) {
			end++
		}
		pos = end
		if index > 0 && isBlank(line) {
			continue
		}
		index++
		if index > p.cfg.MaxSegments {
			index--
			s.Warnings.add(WarnTooManySegments)
			s.Truncated = true
			if at, _ := findRecord(msg, pos, true); at >= 0 {
				pos = at
			} else {
				pos = len(msg)
			}
			break
		}
		if ctrl && s.FirstControlSegment == 0 {
			s.FirstControlSegment = index
			s.Warnings.add(WarnControlChars)
		}
		p.segment(line, index)
	}
	s.Segments = index
	s.Bytes = pos
}

// segment counts one segment and reads the fields the summary needs.
func (p *parser) segment(seg []byte, index int) {
	s := &p.s
	if index == 1 {
		s.SegmentCounts[segMSH]++
		p.msh(seg)
		return
	}
	if !validSegmentID(seg, p.sep.Field) {
		s.BadSegments++
		if s.FirstBadSegment == 0 {
			s.FirstBadSegment = index
			s.Warnings.add(WarnBadSegmentID)
		}
		return
	}
	if seg[0] == 'Z' {
		s.ZSegments++
		return
	}
	k := kindOf(seg[:3])
	if k == segOther {
		s.OtherSegments++
		return
	}
	s.SegmentCounts[k]++
	switch k {
	case segOBX:
		p.obx(seg)
	case segMSA:
		if s.SegmentCounts[segMSA] == 1 {
			p.msa(seg)
		}
	case segERR:
		if s.SegmentCounts[segERR] == 1 {
			p.err(seg)
		}
	case segSFT:
		if s.SegmentCounts[segSFT] == 1 {
			p.sft(seg)
		}
	case segPRT:
		p.prt(seg)
	case segEQU:
		p.equ(seg)
	}
	if len(phiIndex[k]) > 0 {
		p.phi(seg, k)
	}
}

// fields splits an ordinary segment into p.f up to field last and returns
// the number of fields stored; p.f[i] is only valid for i <= that number.
func (p *parser) fields(seg []byte, last int) int {
	return segmentFields(seg, p.sep.Field, p.f[:last+1])
}

func (p *parser) field(i, n int) []byte {
	if i > n {
		return nil
	}
	return p.f[i]
}
