package hl7

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// stringBlock turns the few header values a message yields into strings
// with a single allocation: every value is written into one builder and the
// Summary fields are substrings of its result. Values are unescaped when
// they hold the escape character, cut to the configured cap on a UTF-8
// boundary, and control bytes become '?' so that no value can break a log
// line or a syslog frame.
type stringBlock struct {
	b     strings.Builder
	limit int
	sep   Separators
	tmp   [256]byte // unescaping scratch for values up to the usual cap
}

type strSpan struct{ start, end int }

func (sb *stringBlock) grow(raw [][]byte) {
	n := 0
	for _, v := range raw {
		n += min(len(v), sb.limit)
	}
	sb.b.Grow(n + 8) // a few joiners
}

// add writes one value and returns where it sits in the block.
func (sb *stringBlock) add(v []byte) strSpan {
	start := sb.b.Len()
	if sb.sep.Escape != 0 && bytes.IndexByte(v, sb.sep.Escape) >= 0 {
		v = AppendUnescaped(sb.tmp[:0], v, sb.sep)
	}
	if len(v) > sb.limit {
		n := sb.limit
		for n > 0 && !utf8.RuneStart(v[n]) {
			n--
		}
		v = v[:n]
	}
	for _, c := range v {
		if c < 0x20 || c == 0x7f {
			c = '?'
		}
		sb.b.WriteByte(c)
	}
	return strSpan{start, sb.b.Len()}
}

// addJoined writes a, the joiner and b, and returns the spans of a, b and
// of the joined text: "a^b", or a alone when b is empty, or "" when both are.
func (sb *stringBlock) addJoined(a, b []byte, joiner byte) (sa, sbb, joined strSpan) {
	sa = sb.add(a)
	sb.b.WriteByte(joiner)
	sbb = sb.add(b)
	switch {
	case sa.start == sa.end && sbb.start == sbb.end:
		joined = strSpan{sa.start, sa.start}
	case sbb.start == sbb.end:
		joined = sa
	default:
		joined = strSpan{sa.start, sbb.end}
	}
	return sa, sbb, joined
}

func (sp strSpan) of(s string) string { return s[sp.start:sp.end] }

// parseCount reads a small decimal count (BTS-1, FTS-1); -1 when absent or
// not a number.
func parseCount(b []byte) int {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 9 {
		return -1
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}
