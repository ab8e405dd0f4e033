package tls

import "fmt"

// SSL 2.0 format ClientHello (RFC 6101 appendix E.2): old clients open with a
// two-byte record header whose high bit is set, then CLIENT-HELLO (1), a
// version (0x0002 for SSL 2.0, 0x0300–0x0303 for a client that can go
// higher), and three 2-byte lengths: cipher specs (3 bytes each), session id,
// challenge. RFC 6176 forbids sending it; a device that does is obsolete.

const versionSSL20 = 0x0002

// isV2Hello tells whether a direction's first five bytes open an SSL 2.0
// format ClientHello.
func isV2Hello(h []byte) bool {
	length := int(h[0]&0x7f)<<8 | int(h[1])
	version := uint16(h[3])<<8 | uint16(h[4])
	return h[0]&0x80 != 0 && h[2] == typeClientHello && length >= 3+6 &&
		(version == versionSSL20 || version>>8 == 3 && version&0xff <= 3)
}

// startV2 collects the hello's body: what follows type and version.
func (s *side) startV2() {
	s.started = true
	length := int(s.hdr[0]&0x7f)<<8 | int(s.hdr[1])
	s.v2version = uint16(s.hdr[3])<<8 | uint16(s.hdr[4])
	s.st, s.remain = stV2Body, length-3
	s.hs.buf = s.hs.buf[:0]
	if s.remain > s.an.cfg.MaxHelloBytes {
		s.an.report(s.dir, ReasonHelloTooLarge, fmt.Sprintf("SSL 2.0 format ClientHello of %d bytes exceeds the cap of %d",
			s.remain, s.an.cfg.MaxHelloBytes), true)
		s.startResync(nil)
	}
}

// helloV2 reports an SSL 2.0 format ClientHello; it carries no extensions, so
// no SNI, ALPN or fingerprint.
func (a *Analyzer) helloV2(s *side, body []byte) {
	r := newReader(body)
	specs, sid, challenge := int(r.u16()), int(r.u16()), int(r.u16())
	r.take(specs)
	r.take(sid)
	r.take(challenge)
	if !r.ok || specs%3 != 0 {
		a.report(s.dir, ReasonBadHandshake, fmt.Sprintf("SSL 2.0 format ClientHello of %d bytes does not parse", len(body)), true)
		return
	}
	a.flow.Encrypted = true
	a.rep.Violations = 0
	m := a.begin(s, TypeClientHello, len(body)+5)
	insecure := "ssl2_hello"
	m.Version = VersionName(s.v2version)
	if s.v2version == versionSSL20 {
		m.Version, insecure = "ssl2", "ssl2"
	}
	a.attrs[AttrVersion] = m.Version
	a.attrs[AttrInsecure] = insecure
	a.counts[CountCiphers] = specs / 3
	a.counts[CountSSL2Format] = 1
	a.emit.Message(m)
}
