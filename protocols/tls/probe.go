package tls

import "labwatch/protocols/app"

// Ports are the registered server ports of TLS services common on hospital
// networks: HTTPS, DICOM over TLS (2762), syslog over TLS (6514), LDAPS, and
// the implicit-TLS mail ports. Content identification (Probe) finds TLS on any
// other port.
var Ports = []uint16{443, 8443, 2762, 6514, 636, 993, 995, 465}

// Probe tells from the first bytes of one direction whether it carries TLS: a
// handshake record header (type 22, version 3.0 to 3.4, a length within the
// record limit) followed by a ClientHello or ServerHello header, or an SSL 2.0
// format ClientHello.
func Probe(data []byte) app.ProbeResult {
	const need = recordHeaderLen + 1
	if len(data) >= 1 && data[0]&0x80 != 0 {
		if len(data) < recordHeaderLen {
			return app.NeedMore
		}
		if isV2Hello(data) {
			return app.Match
		}
		return app.NoMatch
	}
	if len(data) >= 1 && data[0] != recordHandshake {
		return app.NoMatch
	}
	if len(data) >= 2 && data[1] != 3 {
		return app.NoMatch
	}
	if len(data) >= 3 && data[2] > 4 {
		return app.NoMatch
	}
	if len(data) < need {
		return app.NeedMore
	}
	h := decodeHeader(data)
	if h.length < 4 || h.length > DefaultConfig().MaxRecordBytes {
		return app.NoMatch
	}
	if t := data[recordHeaderLen]; t != typeClientHello && t != typeServerHello {
		return app.NoMatch
	}
	return app.Match
}
