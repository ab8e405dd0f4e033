package output

import (
	"strings"
	"unicode/utf8"
)

// clip cuts s to at most limit bytes without splitting a UTF-8 sequence. A
// negative limit means no limit.
func clip(s string, limit int) string {
	if limit < 0 || len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// needsCleaning reports whether s holds invalid UTF-8 or control characters,
// so the common clean case costs no allocation.
func needsCleaning(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= 0x80 {
			if c >= 0x80 {
				if !utf8.ValidString(s[i:]) {
					return true
				}
				// The rest is valid UTF-8; only C1 controls and ASCII controls remain to check.
				return strings.ContainsFunc(s[i:], isControl)
			}
			return true
		}
	}
	return false
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// oneLine makes s valid UTF-8 with every control character (line breaks
// included) turned into a space: one alert must stay one line at the receiver.
func oneLine(s string) string { return cleanValue(s, false) }

// cleanValue is oneLine, but keeps CR and LF when keepBreaks is set.
func cleanValue(s string, keepBreaks bool) string {
	if !needsCleaning(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if keepBreaks && (r == '\n' || r == '\r') {
			return r
		}
		if isControl(r) {
			return ' '
		}
		return r
	}, s)
}

// printASCII keeps only printable US-ASCII without space (RFC 5424 PRINTUSASCII),
// replacing the rest with '_', cut to max bytes; empty becomes "-" (the NILVALUE).
func printASCII(s string, max int) string {
	if s == "" {
		return "-"
	}
	s = clip(s, max)
	clean := true
	for i := 0; i < len(s); i++ {
		if s[i] < 33 || s[i] > 126 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c < 33 || c > 126 {
			b[i] = '_'
		}
	}
	return string(b)
}

// appendEscaped appends s to dst with a backslash before every byte in special.
func appendEscaped(dst []byte, s, special string) []byte {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(special, s[i]) >= 0 {
			dst = append(dst, '\\')
		}
		dst = append(dst, s[i])
	}
	return dst
}
