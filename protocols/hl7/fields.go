package hl7

import "bytes"

// Field access on byte slices. Nothing here allocates or converts to string:
// each helper returns a sub-slice of the segment it is given.

// maxFieldIndex is the highest field number the parser ever looks at
// (IN1-49); splitting stops there, whatever the segment holds after it.
const maxFieldIndex = 50

// splitFields cuts rest (a segment after its id and first field separator)
// into fields, storing field i in out[i] for i >= first. It stops when out
// is full and returns the highest field number stored, or first-1.
func splitFields(rest []byte, sep byte, out [][]byte, first int) int {
	for i := first; i < len(out); i++ {
		j := indexSep(rest, sep)
		if j < 0 {
			out[i] = rest
			return i
		}
		out[i] = rest[:j]
		rest = rest[j+1:]
	}
	return len(out) - 1
}

// indexSep is bytes.IndexByte tuned for HL7 fields: most are a few bytes
// long, where a plain loop beats the call; a long one (an embedded PDF)
// goes to the vectorised search.
func indexSep(b []byte, sep byte) int {
	n := min(len(b), 24)
	for i := 0; i < n; i++ {
		if b[i] == sep {
			return i
		}
	}
	if n == len(b) {
		return -1
	}
	if j := bytes.IndexByte(b[n:], sep); j >= 0 {
		return n + j
	}
	return -1
}

// segmentFields splits an ordinary segment (not MSH) into out[1:], so that
// out[n] is field n. It returns the number of fields stored.
func segmentFields(seg []byte, sep byte, out [][]byte) int {
	if len(seg) <= 4 {
		return 0
	}
	return splitFields(seg[4:], sep, out, 1)
}

// piece returns the n-th (1-based) piece of b cut at sep, or nil. A zero
// separator means b is not divided: piece 1 is b itself.
func piece(b []byte, sep byte, n int) []byte {
	if sep == 0 {
		if n == 1 {
			return b
		}
		return nil
	}
	for ; n > 1; n-- {
		j := bytes.IndexByte(b, sep)
		if j < 0 {
			return nil
		}
		b = b[j+1:]
	}
	if j := bytes.IndexByte(b, sep); j >= 0 {
		return b[:j]
	}
	return b
}

// firstComponent returns component n of the first repetition of a field.
func (s *Separators) component(field []byte, n int) []byte {
	return piece(piece(field, s.Repetition, 1), s.Component, n)
}

// hasValue tells whether a field carries data: anything other than
// separators, spaces and the double quotes HL7 uses for an explicit null.
func (s *Separators) hasValue(field []byte) bool {
	for _, c := range field {
		switch c {
		case ' ', '"':
			continue
		}
		if c == s.Component || c == s.Repetition || c == s.Subcomponent && c != 0 {
			continue
		}
		return true
	}
	return false
}
