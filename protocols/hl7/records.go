package hl7

// A record is what starts at the beginning of a line with one of the five
// header segments: a message (MSH) or a batch envelope segment (FHS, BHS,
// BTS, FTS). Streams without MLLP framing, and MLLP frames that carry a
// batch, are cut into records at these lines.

type recordKind uint8

const (
	recNone recordKind = iota
	recMSH
	recFHS // file header
	recBHS // batch header
	recBTS // batch trailer
	recFTS // file trailer
)

var recordNames = [...]string{"", "MSH", "FHS", "BHS", "BTS", "FTS"}

func (k recordKind) String() string { return recordNames[k] }

// isEOL tells whether c ends a segment. CR is the standard terminator; LF and
// CRLF are tolerated because files and some interfaces use them.
func isEOL(c byte) bool { return c == '\r' || c == '\n' }

// headerKind classifies a line start. It needs four bytes: the segment id and
// the byte after it, which must not end the line (an MSH without a field
// separator is not a message start). The separator itself is checked later
// by the parser, so a damaged MSH still starts a record and is reported.
func headerKind(b []byte) recordKind {
	if len(b) < 4 || isEOL(b[3]) {
		return recNone
	}
	switch string(b[:3]) {
	case "MSH":
		return recMSH
	case "FHS":
		return recFHS
	case "BHS":
		return recBHS
	case "BTS":
		return recBTS
	case "FTS":
		return recFTS
	}
	return recNone
}

// couldBeHeader tells whether b (shorter than four bytes) may still grow into
// a record header when more bytes arrive.
func couldBeHeader(b []byte) bool {
	if len(b) >= 4 {
		return headerKind(b) != recNone
	}
	for _, name := range recordNames[1:] {
		if string(b) == name[:len(b)] {
			return true
		}
	}
	return false
}

// nextLine returns the index of the first byte after the line that contains
// data[from] (after the whole run of CR/LF that ends it), or len(data) when
// the line does not end inside data.
func nextLine(data []byte, from int) int {
	i := from
	for i < len(data) && !isEOL(data[i]) {
		i++
	}
	for i < len(data) && isEOL(data[i]) {
		i++
	}
	return i
}

// findRecord returns the index of the first line start at or after from that
// begins a record, or -1. lineStart tells whether data[from] begins a line.
// When it returns -1, part is the index of a last line start whose few bytes
// may still become a header once more data arrives, or -1.
func findRecord(data []byte, from int, lineStart bool) (at, part int) {
	i := from
	if !lineStart {
		i = nextLine(data, i)
	}
	for i < len(data) {
		if len(data)-i < 4 {
			if couldBeHeader(data[i:]) {
				return -1, i
			}
			return -1, -1
		}
		if headerKind(data[i:]) != recNone {
			return i, -1
		}
		i = nextLine(data, i)
	}
	return -1, -1
}

// isBlank tells whether a line holds only spaces, tabs or NUL bytes (padding
// some senders leave between segments).
func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != 0 {
			return false
		}
	}
	return true
}

// countVisible counts the bytes of b that are not whitespace, line ends or
// NUL: what makes bytes between frames "stray" rather than padding.
func countVisible(b []byte) int {
	n := 0
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', 0:
		default:
			n++
		}
	}
	return n
}
