// Package safeascii turns peer-supplied bytes into text that is safe to put
// in a message attribute: bounded, and unable to forge log lines or terminal
// escapes.
package safeascii

// Copy returns b truncated to max bytes with every byte outside printable
// ASCII replaced by '?'. Space counts as printable only when spaceOK is set
// (names such as SNI never hold one; header values and banners do).
func Copy(b []byte, max int, spaceOK bool) string {
	if len(b) > max {
		b = b[:max]
	}
	lowest := byte(0x21)
	if spaceOK {
		lowest = 0x20
	}
	out := make([]byte, len(b))
	for i, c := range b {
		if c < lowest || c > 0x7e {
			c = '?'
		}
		out[i] = c
	}
	return string(out)
}
