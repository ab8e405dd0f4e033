package dns

import (
	"encoding/binary"

	"labwatch/protocols/app"
)

// Probe tells from the first bytes of a TCP direction whether it carries DNS: a
// two-byte length of at least a header, then a header with one question, at most
// a few hundred records, and a sane opcode; a query (QR clear) must carry no
// answers. Port 53 is the usual decider; the probe finds DNS on other ports.
func Probe(data []byte) app.ProbeResult {
	if len(data) < 2+headerLen {
		return app.NeedMore
	}
	n := int(binary.BigEndian.Uint16(data))
	h := data[2:]
	flags := binary.BigEndian.Uint16(h[2:])
	qd, an := binary.BigEndian.Uint16(h[4:]), binary.BigEndian.Uint16(h[6:])
	ns, ar := binary.BigEndian.Uint16(h[8:]), binary.BigEndian.Uint16(h[10:])
	opcode := flags >> 11 & 0xf
	switch {
	case n < headerLen+5, qd != 1, opcode > 6, opcode == 3:
		return app.NoMatch
	case flags&0x8000 == 0 && (an != 0 || flags&0x000f != 0):
		return app.NoMatch
	case int(an)+int(ns)+int(ar) > 512, flags&0x0040 != 0: // Z bit must be zero
		return app.NoMatch
	}
	// Parse what has arrived: a question that reads whole is enough.
	var s Summary
	cfg := DefaultConfig()
	ok, err := parse(data[2:min(len(data), 2+n)], &s, &cfg)
	switch {
	case ok:
		return app.Match
	case err == ErrTruncated && len(data) < 2+n:
		return app.NeedMore
	}
	return app.NoMatch
}
