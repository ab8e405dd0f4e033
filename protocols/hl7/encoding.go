package hl7

import (
	"unicode/utf16"
	"unicode/utf8"
)

// HL7 is almost always 8-bit (ASCII, Latin-1, UTF-8), which the parser reads
// as bytes. UTF-16 (MSH-18 "UNICODE UTF-16") turns up in files and a few
// interfaces; it is transcoded to UTF-8 before parsing. This is a rare path
// and it allocates.

type byteOrder uint8

const (
	notUTF16 byteOrder = iota
	utf16LE
	utf16BE
)

func (o byteOrder) String() string {
	switch o {
	case utf16LE:
		return "UTF-16LE"
	case utf16BE:
		return "UTF-16BE"
	}
	return ""
}

// detectUTF16 recognises UTF-16 content by its byte order mark, or without
// one by a record header written with zero high bytes ("M\x00S\x00H\x00").
// It returns the order and the length of the mark.
func detectUTF16(b []byte) (byteOrder, int) {
	if len(b) >= 2 {
		switch {
		case b[0] == 0xFF && b[1] == 0xFE:
			return utf16LE, 2
		case b[0] == 0xFE && b[1] == 0xFF:
			return utf16BE, 2
		}
	}
	if len(b) >= 8 {
		var le, be [4]byte
		for i := range le {
			le[i], be[i] = b[2*i], b[2*i+1]
		}
		switch {
		case b[1] == 0 && b[3] == 0 && b[5] == 0 && headerKind(le[:]) != recNone:
			return utf16LE, 0
		case b[0] == 0 && b[2] == 0 && b[4] == 0 && headerKind(be[:]) != recNone:
			return utf16BE, 0
		}
	}
	return notUTF16, 0
}

// appendUTF8 decodes UTF-16 src to UTF-8 onto dst, stopping before dst would
// grow past limit bytes. It reports whether all of src fitted, and false for
// ok when src has an odd length. Unpaired surrogates become U+FFFD.
func appendUTF8(dst, src []byte, order byteOrder, limit int) (out []byte, complete, ok bool) {
	if len(src)%2 != 0 {
		return dst, false, false
	}
	unit := func(i int) rune {
		if order == utf16BE {
			return rune(src[i])<<8 | rune(src[i+1])
		}
		return rune(src[i+1])<<8 | rune(src[i])
	}
	for i := 0; i+1 < len(src); i += 2 {
		r := unit(i)
		if utf16.IsSurrogate(r) && i+3 < len(src) {
			if d := utf16.DecodeRune(r, unit(i+2)); d != utf8.RuneError {
				r = d
				i += 2
			} else {
				r = utf8.RuneError
			}
		} else if utf16.IsSurrogate(r) {
			r = utf8.RuneError
		}
		if len(dst)+utf8.RuneLen(r) > limit {
			return dst, false, true
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst, true, true
}
