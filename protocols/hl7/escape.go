package hl7

import "bytes"

// Unescaping is for callers that need a decoded value (a sending application
// written "EP\S\IC"). The parser calls it only for the few header fields it
// copies and only when they hold the escape character: never per field.

// AppendUnescaped appends src to dst with the HL7 escape sequences decoded:
//
//	\F\ \S\ \T\ \R\ \E\ \P\  the field, component, subcomponent, repetition,
//	                         escape and truncation characters
//	\Xhh..\                  the bytes written in hexadecimal
//	\.br\ \.sp\              a line break
//	\H\ \N\ \.xx..\ \Cxxyy\ \Mxxyyzz\ \Zxx..\
//	                         highlighting, other formatting, character-set
//	                         switches and local escapes: dropped
//
// A sequence that is not closed, or that names nothing known, is kept as
// written, so no input is lost.
func AppendUnescaped(dst, src []byte, sep Separators) []byte {
	esc := sep.Escape
	if esc == 0 {
		return append(dst, src...)
	}
	for len(src) > 0 {
		i := bytes.IndexByte(src, esc)
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		src = src[i+1:]
		j := bytes.IndexByte(src, esc)
		if j < 0 {
			// Unclosed: keep the escape character and the rest as written.
			dst = append(dst, esc)
			return append(dst, src...)
		}
		var ok bool
		dst, ok = appendSequence(dst, src[:j], sep)
		if !ok {
			dst = append(dst, esc)
			dst = append(dst, src[:j]...)
			dst = append(dst, esc)
		}
		src = src[j+1:]
	}
	return dst
}

// Unescape returns the decoded value as a new string.
func Unescape(src []byte, sep Separators) string {
	return string(AppendUnescaped(make([]byte, 0, len(src)), src, sep))
}

// appendSequence decodes the body of one escape sequence (what lies between
// the two escape characters). It reports false when the body means nothing.
func appendSequence(dst, body []byte, sep Separators) ([]byte, bool) {
	if len(body) == 0 {
		return dst, false
	}
	if len(body) == 1 {
		var c byte
		switch body[0] {
		case 'F':
			c = sep.Field
		case 'S':
			c = sep.Component
		case 'T':
			c = sep.Subcomponent
		case 'R':
			c = sep.Repetition
		case 'E':
			c = sep.Escape
		case 'P':
			c = sep.Truncation
		case 'H', 'N':
			return dst, true
		}
		if c == 0 {
			return dst, false
		}
		return append(dst, c), true
	}
	switch body[0] {
	case 'X':
		return appendHex(dst, body[1:])
	case '.':
		if string(body) == ".br" || string(body) == ".sp" {
			return append(dst, '\n'), true
		}
		return dst, true
	case 'C', 'M', 'Z':
		return dst, true
	}
	return dst, false
}

// appendHex decodes the hexadecimal digits of a \X..\ sequence.
func appendHex(dst, hex []byte) ([]byte, bool) {
	if len(hex) == 0 || len(hex)%2 != 0 {
		return dst, false
	}
	for _, c := range hex {
		if _, ok := hexDigit(c); !ok {
			return dst, false
		}
	}
	for i := 0; i < len(hex); i += 2 {
		hi, _ := hexDigit(hex[i])
		lo, _ := hexDigit(hex[i+1])
		dst = append(dst, hi<<4|lo)
	}
	return dst, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
