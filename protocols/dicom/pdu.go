package dicom

import (
	"encoding/binary"

	"labwatch/protocols/app"
)

// PDU types (PS3.8 table 9-1 and following).
const (
	pduAssociateRQ = 0x01
	pduAssociateAC = 0x02
	pduAssociateRJ = 0x03
	pduDataTF      = 0x04
	pduReleaseRQ   = 0x05
	pduReleaseRP   = 0x06
	pduAbort       = 0x07
)

const (
	pduHeaderLen = 6 // type, reserved, 32-bit big-endian length
	pdvHeaderLen = 6 // 32-bit length, context ID, message control header
	// associateFixedLen is the fixed part of A-ASSOCIATE-RQ/AC before the items:
	// protocol version, reserved, called AE, calling AE, 32 reserved bytes.
	associateFixedLen = 68
	// shortPDULen is the body length of A-ASSOCIATE-RJ, A-RELEASE-RQ/RP, A-ABORT.
	shortPDULen = 4
	// startCheckLen is how many bytes pduStart needs at most to judge a header.
	startCheckLen = pduHeaderLen + pdvHeaderLen
)

// pduNames are the summary keys, indexed by PDU type.
var pduNames = [...]string{
	pduAssociateRQ: "A-ASSOCIATE-RQ",
	pduAssociateAC: "A-ASSOCIATE-AC",
	pduAssociateRJ: "A-ASSOCIATE-RJ",
	pduDataTF:      "P-DATA-TF",
	pduReleaseRQ:   "A-RELEASE-RQ",
	pduReleaseRP:   "A-RELEASE-RP",
	pduAbort:       "A-ABORT",
}

func knownPDU(t byte) bool { return t >= pduAssociateRQ && t <= pduAbort }

// pduStart judges whether b begins with a plausible PDU: a known type, a zero
// reserved byte, and a body whose first bytes fit the type. It serves both
// Probe (the first bytes of a direction) and resynchronisation after a gap.
// maxLen bounds the declared length.
func pduStart(b []byte, maxLen uint32) app.ProbeResult {
	if len(b) == 0 {
		return app.NeedMore
	}
	if !knownPDU(b[0]) {
		return app.NoMatch
	}
	if len(b) < 2 {
		return app.NeedMore
	}
	if b[1] != 0 {
		return app.NoMatch
	}
	if len(b) < pduHeaderLen {
		return app.NeedMore
	}
	n := binary.BigEndian.Uint32(b[2:])
	if n > maxLen {
		return app.NoMatch
	}
	body := b[pduHeaderLen:]
	switch b[0] {
	case pduAssociateRQ, pduAssociateAC:
		if n < associateFixedLen {
			return app.NoMatch
		}
		if len(body) < 2 {
			return app.NeedMore
		}
		// Protocol version: bit 0 set (version 1), the rest reserved.
		if body[0] != 0 || body[1]&1 == 0 {
			return app.NoMatch
		}
		return app.Match
	case pduDataTF:
		if n < pdvHeaderLen {
			return app.NoMatch
		}
		if len(body) < pdvHeaderLen {
			return app.NeedMore
		}
		pdv := binary.BigEndian.Uint32(body)
		if pdv < 2 || pdv > n-4 || body[4]&1 == 0 || body[5] > 3 {
			return app.NoMatch
		}
		return app.Match
	}
	if n != shortPDULen {
		return app.NoMatch
	}
	if len(body) < shortPDULen {
		return app.NeedMore
	}
	switch b[0] {
	case pduAssociateRJ:
		if body[0] != 0 || body[1] < 1 || body[1] > 2 || body[2] < 1 || body[2] > 3 {
			return app.NoMatch
		}
	case pduReleaseRQ, pduReleaseRP:
		if binary.BigEndian.Uint32(body) != 0 {
			return app.NoMatch
		}
	case pduAbort:
		if body[0] != 0 || body[1] != 0 || body[2] > 2 || body[3] > 6 {
			return app.NoMatch
		}
	}
	return app.Match
}
