package poct1a

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// charsetReader lets encoding/xml read the declared encodings devices use.
// ISO-8859-1 (and windows-1252, read as Latin-1: only presence and codes are
// looked at) is widened to UTF-8; anything else is refused.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		return &latin1Reader{r: r}, nil
	}
	return nil, fmt.Errorf("poct1a: unsupported encoding")
}

// latin1Reader converts Latin-1 bytes to UTF-8. Each input byte becomes at
// most two output bytes, so it reads at most half of p at a time.
type latin1Reader struct {
	r   io.Reader
	buf [512]byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(p) < 2 {
		return 0, io.ErrShortBuffer
	}
	n, err := l.r.Read(l.buf[:min(len(l.buf), len(p)/2)])
	out := 0
	for _, c := range l.buf[:n] {
		out += utf8.EncodeRune(p[out:], rune(c))
	}
	return out, err
}
