package astm

import (
	"labwatch/protocols/app"
	"labwatch/protocols/internal/hexdigit"
)

// probeFrameLimit bounds how far Probe looks for the end of a first frame. A
// LIS01-A2 frame is at most 247 bytes; single-frame dialects are longer but
// start with an H record, which is recognised without the end.
const probeFrameLimit = 1024

// Probe tells from the first bytes of one direction whether it carries ASTM:
// ENQ (possibly repeated) then a frame with a valid checksum or starting with an
// H record; a frame alone; or a raw H record whose first bytes declare delimiters
// (H|\^&). Anything else, including STX/ETX framings of other protocols whose
// checksum does not verify, is NoMatch.
func Probe(data []byte) app.ProbeResult {
	i := 0
	for i < len(data) && data[i] == enq {
		i++
	}
	if i == len(data) {
		return app.NeedMore
	}
	if data[i] == stx {
		return probeFrame(data[i+1:])
	}
	if i > 0 {
		return app.NoMatch
	}
	for i < len(data) && (data[i] == cr || data[i] == lf) {
		i++
	}
	return probeHeader(data[i:])
}

// probeFrame looks at what follows STX.
func probeFrame(b []byte) app.ProbeResult {
	if len(b) == 0 {
		return app.NeedMore
	}
	_, text := frameNumber(b)
	if r := probeHeader(text); r != app.NoMatch {
		return r
	}
	for j, c := range b {
		if j >= probeFrameLimit {
			return app.NoMatch
		}
		switch c {
		case etx, etb:
			if len(b) < j+3 {
				return app.NeedMore
			}
			c1, c2 := b[j+1], b[j+2]
			if !hexdigit.Is(c1) || !hexdigit.Is(c2) || hexdigit.Value(c1)<<4|hexdigit.Value(c2) != checksum(b[:j], c) {
				return app.NoMatch
			}
			return app.Match
		case stx, eot, enq:
			return app.NoMatch
		}
	}
	if len(b) >= probeFrameLimit {
		return app.NoMatch
	}
	return app.NeedMore
}

// probeHeader matches "H" followed by a field delimiter and three declared
// delimiters (the last may be the field delimiter again when only two are
// declared).
func probeHeader(b []byte) app.ProbeResult {
	const want = 5 // H | \ ^ &
	if len(b) == 0 {
		return app.NeedMore
	}
	if b[0] != 'H' {
		return app.NoMatch
	}
	for k := 1; k < want; k++ {
		if k == len(b) {
			return app.NeedMore
		}
		if !isDelimChar(b[k]) {
			return app.NoMatch
		}
	}
	return app.Match
}
