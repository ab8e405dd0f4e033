package tls

import "fmt"

// handshakeReader cuts the handshake protocol (RFC 8446 §4: type, 24-bit
// length, body) out of the bodies of handshake records. A message may span
// records and a record may hold several messages. Only hellos are kept; a hello
// that lies whole inside one record body is parsed in place, otherwise it is
// copied into buf, bounded by MaxHelloBytes.
type handshakeReader struct {
	hdr    [4]byte
	nhdr   int
	typ    uint8
	length int
	remain int
	keep   bool // the message is a hello being collected
	buf    []byte
}

func (h *handshakeReader) reset() {
	h.nhdr, h.remain, h.keep, h.buf = 0, 0, false, h.buf[:0]
}

// pending tells whether a hello is partly read.
func (h *handshakeReader) pending() bool {
	return h.keep && (h.nhdr > 0 || h.remain > 0 || len(h.buf) > 0)
}

func (h *handshakeReader) feed(s *side, p []byte) {
	for len(p) > 0 {
		if h.nhdr < len(h.hdr) {
			n := copy(h.hdr[h.nhdr:], p)
			h.nhdr += n
			p = p[n:]
			if h.nhdr < len(h.hdr) {
				return
			}
			h.start(s)
			if h.remain == 0 {
				h.done(s, nil)
			}
			continue
		}
		n := min(len(p), h.remain)
		whole := h.keep && len(h.buf) == 0 && n == h.length
		if h.keep && !whole {
			h.buf = append(h.buf, p[:n]...)
		}
		h.remain -= n
		if h.remain == 0 {
			if whole {
				h.done(s, p[:n])
			} else {
				h.done(s, h.buf)
			}
		}
		p = p[n:]
	}
}

// start reads the message header in h.hdr.
func (h *handshakeReader) start(s *side) {
	h.typ = h.hdr[0]
	h.length = int(h.hdr[1])<<16 | int(h.hdr[2])<<8 | int(h.hdr[3])
	h.remain = h.length
	h.keep = h.typ == typeClientHello || h.typ == typeServerHello
	h.buf = h.buf[:0]
	if h.keep && h.length > s.an.cfg.MaxHelloBytes {
		s.an.report(s.dir, ReasonHelloTooLarge, fmt.Sprintf("handshake message type %d of %d bytes exceeds the cap of %d",
			h.typ, h.length, s.an.cfg.MaxHelloBytes), true)
		h.keep = false
	}
}

// done hands a complete message to the analyzer.
func (h *handshakeReader) done(s *side, body []byte) {
	if h.keep {
		s.an.hello(s, h.typ, body)
	}
	h.nhdr, h.keep = 0, false
	h.buf = h.buf[:0]
}
