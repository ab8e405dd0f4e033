package hl7

// Separators are the delimiters a message declares in MSH-1 and MSH-2 (or
// FHS/BHS-1 and -2). Nothing assumes the usual |^~\&: every split uses these.
// A zero byte means the message did not declare that separator.
type Separators struct {
	Field        byte // MSH-1, usually '|'
	Component    byte // MSH-2[0], usually '^'
	Repetition   byte // MSH-2[1], usually '~'
	Escape       byte // MSH-2[2], usually '\'
	Subcomponent byte // MSH-2[3], usually '&'
	Truncation   byte // MSH-2[4], v2.7+, usually '#'
}

// DefaultSeparators are the ones HL7 recommends, for callers that unescape a
// value without a message at hand.
var DefaultSeparators = Separators{'|', '^', '~', '\\', '&', '#'}

// isDelimiterByte tells whether c may serve as the field separator:
// printable ASCII that is neither a letter, a digit nor a space.
func isDelimiterByte(c byte) bool {
	return isEncodingByte(c) && !isAlnum(c)
}

// isEncodingByte tells whether c may serve as an encoding character
// (MSH-2). Letters are tolerated there: some toolkits declare them (a
// repetition separator 'r'), and they only make values split oddly.
func isEncodingByte(c byte) bool {
	return c > ' ' && c < 0x7f
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// readSeparators reads the separators from a header segment ("MSH", "FHS" or
// "BHS" followed by MSH-1 and MSH-2). It accepts one to five encoding
// characters, as real senders do, but rejects a field separator that is a
// letter or digit, controls and spaces, and component, repetition and escape
// characters that repeat each other, since nothing could be split reliably
// then.
func readSeparators(seg []byte) (Separators, bool) {
	var s Separators
	if len(seg) < 5 || !isDelimiterByte(seg[3]) {
		return s, false
	}
	s.Field = seg[3]
	enc := seg[4:]
	n := 0
	for n < len(enc) && enc[n] != s.Field {
		n++
	}
	if n == 0 || n > 5 {
		return s, false
	}
	enc = enc[:n]
	for _, c := range enc {
		if !isEncodingByte(c) {
			return s, false
		}
	}
	dst := [...]*byte{&s.Component, &s.Repetition, &s.Escape, &s.Subcomponent, &s.Truncation}
	for i, c := range enc {
		*dst[i] = c
	}
	if s.Repetition == s.Component || s.Escape != 0 && (s.Escape == s.Component || s.Escape == s.Repetition) {
		return s, false
	}
	// A subcomponent or truncation character that repeats another one (as in
	// the "^~\\&" some converters write) is disabled rather than trusted.
	if s.Subcomponent == s.Component || s.Subcomponent == s.Repetition || s.Subcomponent == s.Escape {
		s.Subcomponent = 0
	}
	if s.Truncation == s.Component || s.Truncation == s.Repetition || s.Truncation == s.Escape || s.Truncation == s.Subcomponent {
		s.Truncation = 0
	}
	return s, true
}
