package zpl

import (
	"fmt"

	"labwatch/protocols/internal/hexdigit"
)

// Control bytes of printer responses and default ZPL prefixes.
const (
	stx           = 0x02
	etx           = 0x03
	defaultCaret  = '^'
	defaultTilde  = '~'
	maxParamBytes = 16 // command parameters kept, enough for ^PQ and ^CC
)

// state is where a direction's scanner stands between two bytes.
type state uint8

const (
	stIdle      state = iota // between commands, lines or frames
	stPrefix1                // after ^ or ~: first command letter due
	stPrefix2                // second command letter due
	stParams                 // skipping a command's parameters
	stPrefixArg              // the new prefix character of ^CC / ^CT
	stField                  // inside ^FD / ^FV field data
	stLine                   // inside an EPL command line
	stBinary                 // skipping EPL GW graphic bytes
	stFrame                  // inside a printer response, STX … ETX
	stResync                 // after a gap or violation: waiting for ^XA or an N line
)

// side scans one direction. Commands, EPL lines and response frames are told apart
// by their first byte. Only three things are buffered across calls, each capped by
// Config: the data of the field being read, the EPL line being read and the
// response frame being read; all are reused.
type side struct {
	an  *Analyzer
	st  state
	dir uint8

	caret, tilde byte
	prefix       byte    // the prefix that started the current command
	cmd          [2]byte // the current command's two letters, upper case
	params       [maxParamBytes]byte
	nparams      int
	resync       bool // only ^XA or an N line ends resynchronisation
	download     bool // the parameters are a graphic or font download, lines included

	barcodeNext bool // a barcode command is waiting for its ^FD
	inBarcode   bool // the field being read is a barcode's content
	hexNext     byte // ^FH seen: the next field uses this escape indicator
	hexField    byte // the field being read uses this escape indicator (0: none)
	field       []byte
	fieldOver   bool

	line     []byte
	lineOver bool
	binLeft  int

	frame     []byte
	frameOver bool
	hsLeft    int // ~HS strings 2 and 3 still due

	lbl label
}

func (s *side) reset() {
	s.st, s.caret, s.tilde = stIdle, defaultCaret, defaultTilde
}

// scan consumes data. Every step consumes at least one byte or changes state to
// one that will, so the loop always ends.
func (s *side) scan(data []byte) {
	for i := 0; i < len(data) && !s.an.rep.GaveUp; {
		before := s.st
		n := s.step(data[i:])
		if n == 0 && s.st == before {
			n = 1
		}
		if s.lbl.open {
			s.lbl.bytes += n
			if s.lbl.bytes > s.an.cfg.MaxLabelBytes {
				s.lbl.open = false
				s.an.violation(s, ReasonLabelTooLarge, fmt.Sprintf("label longer than %d bytes; dropped", s.an.cfg.MaxLabelBytes))
				s.enterResync()
			}
		}
		i += n
	}
}

// step handles the bytes at the head of b in the current state and returns how
// many it consumed.
func (s *side) step(b []byte) int {
	switch s.st {
	case stIdle:
		return s.idle(b[0])
	case stPrefix1:
		if !isCommandChar(b[0]) {
			s.st = stIdle
			return 1
		}
		s.cmd[0], s.st = upper(b[0]), stPrefix2
		return 1
	case stPrefix2:
		if !isCommandChar(b[0]) {
			s.st = stIdle
			return 1
		}
		s.cmd[1] = upper(b[0])
		s.command()
		return 1
	case stParams:
		return s.skipParams(b)
	case stPrefixArg:
		if b[0] > ' ' && b[0] < 0x7f {
			if s.cmd[1] == 'C' {
				s.caret = b[0]
			} else {
				s.tilde = b[0]
			}
		}
		s.st = stParams
		return 1
	case stField:
		return s.readField(b)
	case stLine:
		return s.readLine(b)
	case stBinary:
		n := min(s.binLeft, len(b))
		s.binLeft -= n
		if s.binLeft == 0 {
			s.st = stLine
		}
		return n
	case stFrame:
		return s.readFrame(b)
	case stResync:
		return s.seekSync(b)
	}
	s.st = stIdle
	return 1
}

// idle looks at the first byte of a command, a line or a frame.
func (s *side) idle(c byte) int {
	switch {
	case c == s.caret || c == s.tilde:
		s.prefix, s.st = c, stPrefix1
	case c == stx:
		s.frame, s.frameOver, s.st = s.frame[:0], false, stFrame
	case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xef || c == 0xbb || c == 0xbf:
		// Blank, or a UTF-8 byte-order mark in front of a file sent raw.
	case s.lbl.open && s.lbl.lang == langZPL:
		// Stray text inside a format: printers ignore it.
	default:
		s.line, s.lineOver, s.st = s.line[:0], false, stLine
		return 0
	}
	return 1
}

// command acts on a complete two-letter command.
func (s *side) command() {
	s.nparams, s.st, s.download = 0, stParams, false
	c := string(s.cmd[:]) // does not allocate: compared, never kept
	if s.resync {
		if c != "XA" || s.prefix != s.caret {
			s.st = stResync
			return
		}
		s.resync = false
	}
	switch c {
	case "XA":
		if s.prefix != s.caret {
			return
		}
		if s.lbl.open {
			s.an.report(s, ReasonUnterminated, "^XA before the previous format's ^XZ", false)
		}
		s.lbl.start(langZPL)
		s.lbl.bytes = 2 // with the A: the prefix and X were read before the format opened
		s.barcodeNext = false
	case "XZ":
		if s.lbl.open && s.lbl.lang == langZPL {
			s.an.emitLabel(s)
		}
		s.st = stIdle
	case "FD", "FV":
		s.inBarcode, s.barcodeNext = s.barcodeNext, false
		s.hexField, s.hexNext = s.hexNext, 0
		s.field, s.fieldOver, s.st = s.field[:0], false, stField
	case "FS":
		s.barcodeNext, s.hexNext = false, 0
	case "FH":
		s.hexNext = '_'
	case "CC", "CT":
		s.st = stPrefixArg
	case "DF":
		s.lbl.stored = true
	case "XF", "XG":
		s.lbl.recalled = s.lbl.recalled || c == "XF"
		s.lbl.graphics += boolInt(c == "XG")
	case "GF", "DG", "DY", "DB":
		s.lbl.graphics++
		s.download = true
	default:
		// ^B followed by a symbology letter or digit is a barcode; ^BY only sets
		// defaults.
		if s.cmd[0] == 'B' && s.cmd[1] != 'Y' && s.prefix == s.caret {
			s.barcodeNext = true
		}
	}
}

// skipParams skips to the next prefix (or, outside a format and but for
// downloads, whose hex data spans lines, to the end of the line), keeping the first parameter bytes for the commands that need them.
func (s *side) skipParams(b []byte) int {
	for i, c := range b {
		if c == s.caret || c == s.tilde || (c == '\n' && !s.lbl.open && !s.download) {
			s.paramsDone()
			s.st = stIdle
			return i
		}
		if s.nparams < maxParamBytes {
			s.params[s.nparams] = c
			s.nparams++
		}
	}
	return len(b)
}

// paramsDone acts on a command whose parameters are complete.
func (s *side) paramsDone() {
	switch {
	case s.cmd == [2]byte{'P', 'Q'} && s.lbl.open:
		n, _ := leadingInt(s.params[:s.nparams])
		s.lbl.copies = n
	case s.cmd == [2]byte{'F', 'H'} && s.nparams > 0 && s.params[0] > ' ':
		s.hexNext = s.params[0]
	}
}

// readField gathers field data up to the next caret, within MaxFieldBytes.
func (s *side) readField(b []byte) int {
	end := len(b)
	for i, c := range b {
		if c == s.caret {
			end = i
			break
		}
	}
	s.keepField(b[:end])
	if end < len(b) {
		s.endField(s.inBarcode)
		s.st = stIdle
	}
	return end
}

// keepField appends field bytes to the field buffer within its cap.
func (s *side) keepField(b []byte) {
	room := s.an.cfg.MaxFieldBytes - len(s.field)
	if len(b) > room {
		b, s.fieldOver = b[:max(room, 0)], true
	}
	s.field = append(s.field, b...)
}

// endField classifies the gathered field and forgets its data.
func (s *side) endField(barcode bool) {
	if s.fieldOver {
		s.an.report(s, ReasonFieldTooLarge, fmt.Sprintf("field data longer than %d bytes; the rest was not classified", s.an.cfg.MaxFieldBytes), false)
	}
	if s.hexField != 0 {
		s.field = unescapeHex(s.field, s.hexField)
	}
	if s.lbl.open {
		s.lbl.addField(classify(s.field, barcode, s.lbl.afterDOB, &s.an.cfg), barcode, s.fieldOver)
	}
	s.field, s.fieldOver, s.inBarcode, s.hexField = s.field[:0], false, false, 0
}

// unescapeHex decodes ^FH escapes (indicator and two hex digits) in place, so
// "LAST_5EFIRST" is classified as LAST^FIRST.
func unescapeHex(b []byte, ind byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); i++ {
		if b[i] == ind && i+2 < len(b) && hexdigit.Is(b[i+1]) && hexdigit.Is(b[i+2]) {
			out = append(out, hexdigit.Value(b[i+1])<<4|hexdigit.Value(b[i+2]))
			i += 2
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// seekSync skips to the next caret (a possible ^XA) or line start (a possible N).
func (s *side) seekSync(b []byte) int {
	for i, c := range b {
		switch c {
		case s.caret:
			s.prefix, s.st = c, stPrefix1
			return i + 1
		case '\n':
			s.st = stIdle
			return i + 1
		}
	}
	return len(b)
}

func (s *side) enterResync() {
	s.st, s.resync = stResync, true
	s.field, s.fieldOver, s.line, s.lineOver = s.field[:0], false, s.line[:0], false
	s.barcodeNext, s.inBarcode = false, false
}

func isCommandChar(c byte) bool {
	return c > ' ' && c < 0x7f
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// leadingInt parses the decimal digits at the start of b, saturating well below
// overflow.
func leadingInt(b []byte) (int, int) {
	n, i := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if n < 1<<30 {
			n = n*10 + int(b[i]-'0')
		}
	}
	return n, i
}
