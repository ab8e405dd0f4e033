package tls

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
)

// Client and server fingerprints. JA4 follows the FoxIO specification
// (github.com/FoxIO-LLC/ja4, technical_details/JA4.md); JA3 and JA3S follow
// Salesforce's. All skip GREASE values.

// JA4 returns the JA4 fingerprint of a ClientHello seen on TCP, e.g.
// "t13d1516h2_8daaf6152771_e5627efa2ab1".
func JA4(h *ClientHello) string {
	ciphers := withoutGREASE(h.Ciphers)
	exts := withoutGREASE(h.Extensions)
	b := make([]byte, 0, 40)
	b = append(b, 't')
	b = append(b, ja4Version(h.MaxVersion())...)
	if h.HasSNI {
		b = append(b, 'd')
	} else {
		b = append(b, 'i')
	}
	b = appendCount(b, len(ciphers))
	b = appendCount(b, len(exts))
	b = appendALPN(b, h.ALPN)
	b = append(b, '_')

	slices.Sort(ciphers)
	b = appendHash12(b, joinHex(nil, ciphers), len(ciphers) == 0)
	b = append(b, '_')

	// Extensions sorted without SNI and ALPN, then signature algorithms in
	// wire order.
	kept := exts[:0]
	for _, e := range exts {
		if e != extServerName && e != extALPN {
			kept = append(kept, e)
		}
	}
	slices.Sort(kept)
	text := joinHex(nil, kept)
	if sigs := withoutGREASE(h.SigAlgs); len(sigs) > 0 {
		text = append(text, '_')
		text = joinHex(text, sigs)
	}
	return string(appendHash12(b, text, len(kept) == 0))
}

// ja4Version is the two-character version of JA4_a.
func ja4Version(v uint16) string {
	switch v {
	case versionTLS13:
		return "13"
	case versionTLS12:
		return "12"
	case versionTLS11:
		return "11"
	case versionTLS10:
		return "10"
	case versionSSL30:
		return "s3"
	case 0x0200:
		return "s2"
	case 0x0100:
		return "s1"
	}
	return "00"
}

// appendCount appends n as two digits, capped at 99.
func appendCount(b []byte, n int) []byte {
	n = min(n, 99)
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// appendALPN appends the first and last characters of the first ALPN value,
// "00" without one; when either is not alphanumeric the spec uses the first
// hex digit of the first byte and the last hex digit of the last byte.
func appendALPN(b []byte, alpn [][]byte) []byte {
	if len(alpn) == 0 || len(alpn[0]) == 0 {
		return append(b, '0', '0')
	}
	first, last := alpn[0][0], alpn[0][len(alpn[0])-1]
	if alnum(first) && alnum(last) {
		return append(b, first, last)
	}
	const digits = "0123456789abcdef"
	return append(b, digits[first>>4], digits[last&0xf])
}

func alnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// appendHash12 appends the first 12 hex digits of SHA-256(text), or twelve
// zeros when the list was empty.
func appendHash12(b, text []byte, empty bool) []byte {
	if empty {
		return append(b, "000000000000"...)
	}
	sum := sha256.Sum256(text)
	return hex.AppendEncode(b, sum[:6])
}

// joinHex appends the values as comma-separated four-digit lower-case hex.
func joinHex(b []byte, vs []uint16) []byte {
	const digits = "0123456789abcdef"
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, digits[v>>12], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf])
	}
	return b
}

// withoutGREASE returns a new slice of vs without GREASE values.
func withoutGREASE(vs []uint16) []uint16 {
	out := make([]uint16, 0, len(vs))
	for _, v := range vs {
		if !isGREASE(v) {
			out = append(out, v)
		}
	}
	return out
}

// JA3String returns the JA3 text of a ClientHello:
// version,ciphers,extensions,groups,point_formats in decimal, GREASE removed.
func JA3String(h *ClientHello) string {
	b := strconv.AppendUint(nil, uint64(h.Version), 10)
	b = append(b, ',')
	b = joinDecimal(b, h.Ciphers)
	b = append(b, ',')
	b = joinDecimal(b, h.Extensions)
	b = append(b, ',')
	b = joinDecimal(b, h.Groups)
	b = append(b, ',')
	for i, f := range h.PointFormats {
		if i > 0 {
			b = append(b, '-')
		}
		b = strconv.AppendUint(b, uint64(f), 10)
	}
	return string(b)
}

// JA3SString returns the JA3S text of a ServerHello: version,cipher,extensions.
func JA3SString(h *ServerHello) string {
	b := strconv.AppendUint(nil, uint64(h.Version), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(h.Cipher), 10)
	b = append(b, ',')
	b = joinDecimal(b, h.Extensions)
	return string(b)
}

// MD5Hex is how JA3 and JA3S texts become fingerprints.
func MD5Hex(text string) string {
	sum := md5.Sum([]byte(text))
	return hex.EncodeToString(sum[:])
}

// joinDecimal appends the non-GREASE values dash-separated in decimal.
func joinDecimal(b []byte, vs []uint16) []byte {
	first := true
	for _, v := range vs {
		if isGREASE(v) {
			continue
		}
		if !first {
			b = append(b, '-')
		}
		first = false
		b = strconv.AppendUint(b, uint64(v), 10)
	}
	return b
}
