package gen

import "encoding/binary"

// TLS record content types and handshake types (RFC 8446).
const (
	tlsChangeCipherSpec = 20
	tlsHandshake        = 22
	tlsApplicationData  = 23

	tlsClientHello = 1
	tlsServerHello = 2

	extServerName          = 0
	extSupportedGroups     = 10
	extECPointFormats      = 11
	extSignatureAlgorithms = 13
	extALPN                = 16
	extSupportedVersions   = 43
	extPSKModes            = 45
	extKeyShare            = 51

	groupX25519 = 0x001d
	tls13       = 0x0304
	tls12       = 0x0303
	// tlsMaxRecord is the largest plaintext fragment of one record.
	tlsMaxRecord = 16384
)

// lengthPrefixed appends a big-endian length field of size n (1, 2 or 3 bytes),
// lets body append the content, then fills the length in.
func lengthPrefixed(b []byte, n int, body func([]byte) []byte) []byte {
	at := len(b)
	b = append(b, make([]byte, n)...)
	b = body(b)
	l := len(b) - at - n
	for i := n - 1; i >= 0; i-- {
		b[at+i] = byte(l)
		l >>= 8
	}
	return b
}

func appendU16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }

// appendExtension writes type, 2-byte length, body.
func appendExtension(b []byte, typ uint16, body func([]byte) []byte) []byte {
	b = appendU16(b, typ)
	return lengthPrefixed(b, 2, body)
}

// handshakeRecord wraps one handshake message in a record.
func handshakeRecord(b []byte, recordVersion uint16, msgType byte, body func([]byte) []byte) []byte {
	b = append(b, tlsHandshake)
	b = appendU16(b, recordVersion)
	return lengthPrefixed(b, 2, func(b []byte) []byte {
		b = append(b, msgType)
		return lengthPrefixed(b, 3, body)
	})
}

// appendClientHello writes a TLS 1.3 ClientHello (compatible with 1.2 servers)
// with SNI, ALPN when alpn is not empty, and an X25519 key share. random holds
// 32 bytes of client random, 32 of session id and 32 of key share.
func appendClientHello(b []byte, sni string, alpn []string, random []byte) []byte {
	return handshakeRecord(b, 0x0301, tlsClientHello, func(b []byte) []byte {
		b = appendU16(b, tls12)
		b = append(b, random[:32]...)
		b = append(b, 32)
		b = append(b, random[32:64]...)
		b = lengthPrefixed(b, 2, func(b []byte) []byte {
			for _, cs := range []uint16{0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8} {
				b = appendU16(b, cs)
			}
			return b
		})
		b = append(b, 1, 0) // compression methods: null only
		return lengthPrefixed(b, 2, func(b []byte) []byte {
			b = appendExtension(b, extServerName, func(b []byte) []byte {
				return lengthPrefixed(b, 2, func(b []byte) []byte {
					b = append(b, 0) // host_name
					return lengthPrefixed(b, 2, func(b []byte) []byte { return append(b, sni...) })
				})
			})
			b = appendExtension(b, extSupportedGroups, func(b []byte) []byte {
				return lengthPrefixed(b, 2, func(b []byte) []byte {
					return appendU16(appendU16(appendU16(b, groupX25519), 0x0017), 0x0018)
				})
			})
			b = appendExtension(b, extECPointFormats, func(b []byte) []byte { return append(b, 1, 0) })
			b = appendExtension(b, extSignatureAlgorithms, func(b []byte) []byte {
				return lengthPrefixed(b, 2, func(b []byte) []byte {
					for _, sa := range []uint16{0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601} {
						b = appendU16(b, sa)
					}
					return b
				})
			})
			if len(alpn) > 0 {
				b = appendExtension(b, extALPN, func(b []byte) []byte {
					return lengthPrefixed(b, 2, func(b []byte) []byte {
						for _, p := range alpn {
							b = lengthPrefixed(b, 1, func(b []byte) []byte { return append(b, p...) })
						}
						return b
					})
				})
			}
			b = appendExtension(b, extSupportedVersions, func(b []byte) []byte {
				return lengthPrefixed(b, 1, func(b []byte) []byte { return appendU16(appendU16(b, tls13), tls12) })
			})
			b = appendExtension(b, extPSKModes, func(b []byte) []byte { return append(b, 1, 1) })
			return appendExtension(b, extKeyShare, func(b []byte) []byte {
				return lengthPrefixed(b, 2, func(b []byte) []byte {
					b = appendU16(b, groupX25519)
					return lengthPrefixed(b, 2, func(b []byte) []byte { return append(b, random[64:96]...) })
				})
			})
		})
	})
}

// appendServerHello writes the TLS 1.3 ServerHello answering a ClientHello
// whose session id it echoes. random holds 32 bytes of server random and 32 of key share.
func appendServerHello(b []byte, sessionID, random []byte) []byte {
	return handshakeRecord(b, tls12, tlsServerHello, func(b []byte) []byte {
		b = appendU16(b, tls12)
		b = append(b, random[:32]...)
		b = append(b, byte(len(sessionID)))
		b = append(b, sessionID...)
		b = appendU16(b, 0x1301) // TLS_AES_128_GCM_SHA256
		b = append(b, 0)
		return lengthPrefixed(b, 2, func(b []byte) []byte {
			b = appendExtension(b, extSupportedVersions, func(b []byte) []byte { return appendU16(b, tls13) })
			return appendExtension(b, extKeyShare, func(b []byte) []byte {
				b = appendU16(b, groupX25519)
				return lengthPrefixed(b, 2, func(b []byte) []byte { return append(b, random[32:64]...) })
			})
		})
	})
}

// appendChangeCipherSpec writes the middlebox-compatibility CCS record.
func appendChangeCipherSpec(b []byte) []byte {
	return append(b, tlsChangeCipherSpec, 0x03, 0x03, 0x00, 0x01, 0x01)
}

// appendAppData writes n bytes of opaque ciphertext as application-data records
// of at most 16 KiB plus the AEAD tag.
func appendAppData(b []byte, n int, cipher []byte) []byte {
	for n > 0 {
		l := min(n, tlsMaxRecord+17)
		b = append(b, tlsApplicationData, 0x03, 0x03)
		b = appendU16(b, uint16(l))
		b = appendNoise(b, l, cipher)
		n -= l
	}
	return b
}

// appendNoise appends n bytes taken cyclically from noise, starting at a position
// derived from the current length so consecutive records differ.
func appendNoise(b []byte, n int, noise []byte) []byte {
	off := (len(b) * 7919) % len(noise)
	for n > 0 {
		c := min(n, len(noise)-off)
		b = append(b, noise[off:off+c]...)
		n -= c
		off = 0
	}
	return b
}
