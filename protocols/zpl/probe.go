package zpl

import (
	"bytes"

	"labwatch/protocols/app"
)

// probeLines bounds how many EPL setup lines Probe reads before the N line.
const probeLines = 8

// Probe tells from the first bytes of one direction whether it carries a print
// job: a ZPL command (^ or ~ and two command characters, the first a letter,
// after optional blanks or a UTF-8 byte-order mark), or an EPL job whose first
// lines are setup commands followed by an N line. Printer answers are not
// probed: the client's direction, or port 9100, decides.
func Probe(data []byte) app.ProbeResult {
	b := bytes.TrimPrefix(data, []byte{0xef, 0xbb, 0xbf})
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return app.NeedMore
	}
	if b[0] == '^' || b[0] == '~' {
		return probeCommand(b)
	}
	return probeEPL(b)
}

// probeCommand wants two upper-case letters or digits after the prefix, and for
// a caret command, ^XA or another format command.
func probeCommand(b []byte) app.ProbeResult {
	if len(b) < 3 {
		for _, c := range b[1:] {
			if !isUpperAlnum(c) {
				return app.NoMatch
			}
		}
		return app.NeedMore
	}
	if !isUpperAlnum(b[1]) || !isUpperAlnum(b[2]) || (b[1] < 'A' || b[1] > 'Z') {
		return app.NoMatch
	}
	return app.Match
}

// probeEPL reads up to probeLines setup lines (each starting with a letter and
// holding only printable text) and wants an N line among them.
func probeEPL(b []byte) app.ProbeResult {
	for range probeLines {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			if len(b) > 64 || !printable(b) {
				return app.NoMatch
			}
			if len(b) >= 2 && b[0] == 'N' && b[1] != '\r' {
				return app.NoMatch
			}
			return app.NeedMore
		}
		ln := bytes.TrimRight(b[:i], "\r")
		if isClearLine(ln) {
			return app.Match
		}
		if len(ln) == 0 || len(ln) > 64 || !eplSetup(ln) || !printable(ln) {
			return app.NoMatch
		}
		b = b[i+1:]
	}
	return app.NoMatch
}

// eplSetup tells the EPL commands that come before N in a job: form length (Q),
// width (q), speed (S), density (D), options (O, ZT/ZB, R, I8, JF/JB).
func eplSetup(ln []byte) bool {
	for _, p := range []string{"Q", "q", "S", "D", "O", "ZT", "ZB", "R", "I8", "JF", "JB", "UN"} {
		if bytes.HasPrefix(ln, []byte(p)) {
			return true
		}
	}
	return false
}

func isUpperAlnum(c byte) bool { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') }

func printable(b []byte) bool {
	for _, c := range b {
		if (c < ' ' && c != '\t' && c != '\r') || c == 0x7f {
			return false
		}
	}
	return true
}
