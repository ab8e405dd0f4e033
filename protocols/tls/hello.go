package tls

// Parsing of the two handshake messages the analyzer reads in clear: the
// ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) and the ServerHello. Both
// parse the handshake body in place, without its 4-byte header, into a value
// whose slices are reused from one call to the next.

// Handshake message types.
const (
	typeClientHello = 1
	typeServerHello = 2
)

// Extension types read by the parsers (IANA TLS ExtensionType Values).
const (
	extServerName          = 0x0000
	extSupportedGroups     = 0x000a
	extECPointFormats      = 0x000b
	extSignatureAlgorithms = 0x000d
	extALPN                = 0x0010
	extSupportedVersions   = 0x002b
)

// ClientHello holds the fields of a ClientHello that identification and
// fingerprints use. Values are in wire order, GREASE included.
type ClientHello struct {
	Version           uint16 // legacy_version
	Ciphers           []uint16
	Extensions        []uint16 // extension types
	Groups            []uint16 // supported_groups
	PointFormats      []uint8  // ec_point_formats
	SigAlgs           []uint16 // signature_algorithms
	SupportedVersions []uint16
	HasSNI            bool
	SNI               []byte   // first host_name; points into the parsed body
	ALPN              [][]byte // protocol names; point into the parsed body
}

func (h *ClientHello) reset() {
	*h = ClientHello{
		Ciphers: h.Ciphers[:0], Extensions: h.Extensions[:0], Groups: h.Groups[:0],
		PointFormats: h.PointFormats[:0], SigAlgs: h.SigAlgs[:0],
		SupportedVersions: h.SupportedVersions[:0], ALPN: h.ALPN[:0],
	}
}

// ParseClientHello parses a ClientHello body (the bytes after the handshake
// header) into h, reusing h's slices. SNI and ALPN point into body.
func ParseClientHello(body []byte, h *ClientHello) error {
	h.reset()
	r := newReader(body)
	h.Version = r.u16()
	r.take(32) // random
	r.vec8()   // legacy_session_id
	var ok bool
	if h.Ciphers, ok = appendU16s(h.Ciphers, r.vec16()); !ok {
		return ErrTruncated
	}
	r.vec8() // legacy_compression_methods
	if !r.ok {
		return ErrTruncated
	}
	if !knownVersion(h.Version) {
		return ErrBadVersion
	}
	return walkExtensions(&r, &h.Extensions, h.clientExtension)
}

// clientExtension reads the extensions the fingerprints need.
func (h *ClientHello) clientExtension(typ uint16, data []byte) bool {
	r := newReader(data)
	var ok = true
	switch typ {
	case extServerName:
		h.HasSNI = true
		list := newReader(r.vec16())
		for !list.empty() {
			kind, name := list.u8(), list.vec16()
			if kind == 0 && h.SNI == nil && list.ok {
				h.SNI = name
			}
		}
		ok = list.ok
	case extALPN:
		list := newReader(r.vec16())
		for !list.empty() {
			if p := list.vec8(); list.ok {
				h.ALPN = append(h.ALPN, p)
			}
		}
		ok = list.ok
	case extSupportedGroups:
		h.Groups, ok = appendU16s(h.Groups, r.vec16())
	case extECPointFormats:
		h.PointFormats = append(h.PointFormats, r.vec8()...)
	case extSignatureAlgorithms:
		h.SigAlgs, ok = appendU16s(h.SigAlgs, r.vec16())
	case extSupportedVersions:
		h.SupportedVersions, ok = appendU16s(h.SupportedVersions, r.vec8())
	}
	return ok && r.ok
}

// MaxVersion is the highest version the client offers: the largest non-GREASE
// supported_versions entry, else legacy_version.
func (h *ClientHello) MaxVersion() uint16 {
	var best uint16
	for _, v := range h.SupportedVersions {
		if !isGREASE(v) && v > best {
			best = v
		}
	}
	if best == 0 {
		return h.Version
	}
	return best
}

// ServerHello holds what the server chose.
type ServerHello struct {
	Version         uint16 // legacy_version
	Cipher          uint16
	Compression     uint8
	Extensions      []uint16
	SelectedVersion uint16 // from supported_versions; 0 when absent
	ALPN            []byte // the chosen protocol; points into the parsed body
	// HelloRetry is set for a HelloRetryRequest (a ServerHello with the special
	// random of RFC 8446 §4.1.3).
	HelloRetry bool
}

// helloRetryRandom is SHA-256("HelloRetryRequest").
var helloRetryRandom = [32]byte{
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
}

// ParseServerHello parses a ServerHello body into h, reusing its slices.
func ParseServerHello(body []byte, h *ServerHello) error {
	*h = ServerHello{Extensions: h.Extensions[:0]}
	r := newReader(body)
	h.Version = r.u16()
	random := r.take(32)
	r.vec8() // legacy_session_id_echo
	h.Cipher = r.u16()
	h.Compression = r.u8()
	if !r.ok {
		return ErrTruncated
	}
	if !knownVersion(h.Version) {
		return ErrBadVersion
	}
	h.HelloRetry = [32]byte(random) == helloRetryRandom
	return walkExtensions(&r, &h.Extensions, h.serverExtension)
}

// serverExtension reads the extensions a ServerHello summary needs and tells
// whether data was well formed.
func (h *ServerHello) serverExtension(typ uint16, data []byte) bool {
	d := newReader(data)
	switch typ {
	case extSupportedVersions:
		h.SelectedVersion = d.u16()
	case extALPN:
		list := newReader(d.vec16())
		h.ALPN = list.vec8()
		d.ok = d.ok && list.ok
	}
	return d.ok
}

// walkExtensions reads the extension block that ends a hello, if any (SSL 3.0
// style hellos have none): each type is appended to types and handed with its
// data to read, which tells whether it was well formed.
func walkExtensions(r *reader, types *[]uint16, read func(typ uint16, data []byte) bool) error {
	if r.empty() {
		return nil
	}
	exts := newReader(r.vec16())
	if !r.ok || !r.empty() {
		return ErrExtensions
	}
	for !exts.empty() {
		typ, data := exts.u16(), exts.vec16()
		if !exts.ok {
			return ErrExtensions
		}
		*types = append(*types, typ)
		if !read(typ, data) {
			return ErrExtensions
		}
	}
	return nil
}

// NegotiatedVersion is the version chosen: supported_versions when present, else
// legacy_version.
func (h *ServerHello) NegotiatedVersion() uint16 {
	if h.SelectedVersion != 0 {
		return h.SelectedVersion
	}
	return h.Version
}

// isGREASE tells whether v is one of the reserved GREASE values of RFC 8701
// (0x0a0a, 0x1a1a … 0xfafa), which clients add at random and fingerprints skip.
func isGREASE(v uint16) bool {
	return v&0x0f0f == 0x0a0a && v>>8 == v&0xff
}
