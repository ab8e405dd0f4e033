package hl7

import (
	"bytes"

	"labwatch/protocols/app"
)

// Probe tells whether the first bytes of a stream direction carry HL7, by
// content rather than port: an MLLP start block followed by MSH, FHS or BHS
// with plausible separators, or such a header at the start of a raw stream
// (also in UTF-16). A capture that joins a connection in the middle is
// recognised by a start block or a line start followed by a valid MSH
// anywhere in data. It never allocates.
func Probe(data []byte) app.ProbeResult {
	b := data[skipPadding(data):]
	if len(b) == 0 {
		return app.NeedMore
	}
	if b[0] == startBlock {
		rest := b[1:]
		rest = rest[skipPadding(rest):]
		if len(rest) == 0 {
			return app.NeedMore
		}
		return probeHeader(rest)
	}
	if order, bom := detectUTF16(b); order != notUTF16 {
		var tmp [64]byte
		src := b[bom:]
		src = src[:min(len(src), 40)&^1]
		out, _, _ := appendUTF8(tmp[:0], src, order, len(tmp))
		return probeHeader(out)
	}
	if r := probeHeader(b); r != app.NoMatch {
		return r
	}
	for _, lead := range [...]byte{startBlock, '\r', '\n'} {
		for i := 0; i < len(b); {
			j := bytes.IndexByte(b[i:], lead)
			if j < 0 {
				break
			}
			i += j + 1
			if probeHeader(b[i:]) == app.Match {
				return app.Match
			}
		}
	}
	return app.NoMatch
}

// probeHeader checks a record header with two to five encoding characters
// closed by the field separator, e.g. "MSH|^~\&|".
func probeHeader(b []byte) app.ProbeResult {
	name := b[:min(len(b), 3)]
	ok := false
	for _, h := range [...]string{"MSH", "FHS", "BHS"} {
		if string(name) == h[:len(name)] {
			ok = true
		}
	}
	switch {
	case !ok:
		return app.NoMatch
	case len(b) < 4:
		return app.NeedMore
	case !isDelimiterByte(b[3]):
		return app.NoMatch
	}
	for i := 4; i < len(b) && i <= 9; i++ {
		if b[i] == b[3] {
			if n := i - 4; n >= 2 {
				if _, ok := readSeparators(b[:i+1]); ok {
					return app.Match
				}
			}
			return app.NoMatch
		}
		if !isEncodingByte(b[i]) {
			return app.NoMatch
		}
	}
	if len(b) <= 9 {
		return app.NeedMore
	}
	return app.NoMatch
}
