package tls

// The record layer (RFC 8446 §5.1, RFC 5246 §6.2): a 5-byte header — content
// type, legacy version, length — then the body. The walker of one direction
// is resumable: it keeps a partial header in a fixed array and otherwise only
// the number of body bytes still to skip, so encrypted traffic costs no copy.

// Record content types.
const (
	recordChangeCipherSpec = 20
	recordAlert            = 21
	recordHandshake        = 22
	recordApplicationData  = 23
	recordHeartbeat        = 24
)

const recordHeaderLen = 5

// recordHeader is one decoded record header.
type recordHeader struct {
	typ     uint8
	version uint16
	length  int
}

func decodeHeader(b []byte) recordHeader {
	return recordHeader{typ: b[0], version: uint16(b[1])<<8 | uint16(b[2]), length: int(b[3])<<8 | int(b[4])}
}

// headerVerdict tells what a record header is worth.
type headerVerdict uint8

const (
	headerOK      headerVerdict = iota
	headerBad                   // not a TLS record header
	headerTooLong               // a TLS header whose length is beyond the cap
)

// check validates a header: a known content type, a record version from
// SSL 3.0 to TLS 1.3 (TLS 1.3 writes 0x0301 or 0x0303 here), and a length
// within maxLen.
func (h recordHeader) check(maxLen int) headerVerdict {
	if h.typ < recordChangeCipherSpec || h.typ > recordHeartbeat || h.version>>8 != 3 || h.version&0xff > 4 {
		return headerBad
	}
	if h.length > maxLen {
		return headerTooLong
	}
	return headerOK
}

// plausibleAt tells whether b starts with a header good enough to resume on
// after a gap: data and handshake records only (they are what follows a gap)
// and a non-zero length.
func plausibleAt(b []byte, maxLen int) bool {
	h := decodeHeader(b)
	return h.check(maxLen) == headerOK && h.length > 0 &&
		(h.typ == recordApplicationData || h.typ == recordHandshake || h.typ == recordAlert)
}
