package dicom

import "labwatch/protocols/app"

// probeMaxLen is the largest PDU length Probe accepts in a first header; real
// peers negotiate far less, and a bound keeps random bytes from matching.
const probeMaxLen = 64 << 20

// aeTitlesEnd is where the called and calling AE titles of an A-ASSOCIATE
// end, counted from the start of the PDU.
const aeTitlesEnd = pduHeaderLen + 4 + 32

// Probe tells from the first bytes of one direction whether it carries the
// DICOM upper layer: a PDU header of a known type with a zero reserved byte,
// a length that fits the type, and a body start that fits too (protocol
// version 1 and printable AE titles in A-ASSOCIATE, a PDV inside its PDU with
// an odd context ID in P-DATA-TF, the fixed four bytes of the short PDUs). A
// flow picked up in the middle of a transfer therefore matches on its next
// P-DATA-TF header. A TLS record (DICOM TLS on port 2762) is NoMatch: it
// belongs to the TLS analyzer.
func Probe(data []byte) app.ProbeResult {
	r := pduStart(data, probeMaxLen)
	if r != app.Match || (data[0] != pduAssociateRQ && data[0] != pduAssociateAC) {
		return r
	}
	for i := pduHeaderLen + 4; i < aeTitlesEnd; i++ {
		if i == len(data) {
			return app.NeedMore
		}
		// AE titles are padded with spaces; an A-ASSOCIATE-AC may leave them zero.
		if c := data[i]; c != 0 && (c < ' ' || c > '~') {
			return app.NoMatch
		}
	}
	return app.Match
}
