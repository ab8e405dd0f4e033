package dns

import (
	"encoding/binary"
	"net/netip"
)

const headerLen = 12

// Summary is what Parse reads from one DNS message. Names are held in fixed
// arrays inside it, so parsing into a reused Summary allocates nothing.
type Summary struct {
	ID       uint16
	Response bool
	Opcode   uint8
	Rcode    uint8
	AA, TC   bool
	RD, RA   bool

	Questions, Answers, Authority, Additional int // header counts

	QType, QClass uint16
	qname         [4 * maxNameWire]byte // worst case: every byte escaped as \DDD
	qnameLen      int

	// Walked is how many resource records were read (up to MaxRecords).
	Walked int
	// First answer whose data names a host: A, AAAA, CNAME or PTR.
	AnswerType uint16
	answer     [4 * maxNameWire]byte
	answerLen  int
}

// QName returns the first question's name in presentation form; it aliases s.
func (s *Summary) QName() []byte { return s.qname[:s.qnameLen] }

// Answer returns the first A, AAAA, CNAME or PTR answer's data in presentation
// form (an address or a name); it aliases s.
func (s *Summary) Answer() []byte { return s.answer[:s.answerLen] }

// Parse reads the header, the first question and the resource records of msg
// into s. On a records error (ErrTruncated, ErrBadName … past the question,
// ErrTooManyRecord) s still holds the header and question: the message is
// usable and the error says what was wrong with the rest. An error before that
// (ErrShortHeader, ErrNoQuestion, a bad question) leaves s unusable.
func Parse(msg []byte, s *Summary, cfg *Config) (questionOK bool, err error) {
	c := cfg.normalized()
	return parse(msg, s, &c)
}

func parse(msg []byte, s *Summary, cfg *Config) (bool, error) {
	*s = Summary{}
	if len(msg) < headerLen {
		return false, ErrShortHeader
	}
	s.ID = binary.BigEndian.Uint16(msg)
	flags := binary.BigEndian.Uint16(msg[2:])
	s.Response = flags&0x8000 != 0
	s.Opcode = uint8(flags>>11) & 0xf
	s.AA, s.TC, s.RD, s.RA = flags&0x0400 != 0, flags&0x0200 != 0, flags&0x0100 != 0, flags&0x0080 != 0
	s.Rcode = uint8(flags & 0xf)
	s.Questions = int(binary.BigEndian.Uint16(msg[4:]))
	s.Answers = int(binary.BigEndian.Uint16(msg[6:]))
	s.Authority = int(binary.BigEndian.Uint16(msg[8:]))
	s.Additional = int(binary.BigEndian.Uint16(msg[10:]))
	if s.Questions == 0 {
		return false, ErrNoQuestion
	}
	name, off, err := readName(msg, headerLen, s.qname[:0], cfg.MaxPointers)
	if err != nil {
		return false, err
	}
	s.qnameLen = len(name)
	if off+4 > len(msg) {
		return false, ErrTruncated
	}
	s.QType, s.QClass = binary.BigEndian.Uint16(msg[off:]), binary.BigEndian.Uint16(msg[off+2:])
	off += 4
	for range s.Questions - 1 {
		if _, off, err = readName(msg, off, nil, cfg.MaxPointers); err != nil {
			return true, err
		}
		if off+4 > len(msg) {
			return true, ErrTruncated
		}
		off += 4
	}
	return true, s.walkRecords(msg, off, cfg)
}

// walkRecords reads the answer, authority and additional sections, keeping the
// first answer that names a host.
func (s *Summary) walkRecords(msg []byte, off int, cfg *Config) error {
	total := s.Answers + s.Authority + s.Additional
	for i := range total {
		if s.Walked == cfg.MaxRecords {
			return ErrTooManyRecord
		}
		var err error
		if _, off, err = readName(msg, off, nil, cfg.MaxPointers); err != nil {
			return err
		}
		if off+10 > len(msg) {
			return ErrTruncated
		}
		typ := binary.BigEndian.Uint16(msg[off:])
		rdlen := int(binary.BigEndian.Uint16(msg[off+8:]))
		off += 10
		if rdlen > len(msg)-off {
			return ErrTruncated
		}
		if i < s.Answers && s.answerLen == 0 {
			s.keepAnswer(msg, off, rdlen, typ, cfg)
		}
		off += rdlen
		s.Walked++
	}
	return nil
}

// keepAnswer renders the data of an A, AAAA, CNAME or PTR answer.
func (s *Summary) keepAnswer(msg []byte, off, rdlen int, typ uint16, cfg *Config) {
	var out []byte
	switch {
	case typ == typeA && rdlen == 4:
		out = netip.AddrFrom4([4]byte(msg[off : off+4])).AppendTo(s.answer[:0])
	case typ == typeAAAA && rdlen == 16:
		out = netip.AddrFrom16([16]byte(msg[off : off+16])).AppendTo(s.answer[:0])
	case typ == typeCNAME || typ == typePTR:
		// The name may point anywhere before it; it must end inside rdata.
		name, next, err := readName(msg[:off+rdlen], off, s.answer[:0], cfg.MaxPointers)
		if err != nil || next > off+rdlen {
			return
		}
		out = name
	default:
		return
	}
	s.AnswerType, s.answerLen = typ, len(out)
}
