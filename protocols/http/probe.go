package http

import (
	"bytes"

	"labwatch/protocols/app"
)

// Ports are the registered server ports of clear-text HTTP commonly used by
// web interfaces, FHIR servers and middleware on hospital networks. Content
// identification (Probe) finds HTTP on any other port.
var Ports = []uint16{80, 8080, 8000, 8008, 8081, 8888}

// Probe tells from the first bytes of one direction whether it carries
// HTTP/1.x: a listed method and a space, or "HTTP/1." then a digit, a space
// and a three-digit status.
func Probe(data []byte) app.ProbeResult {
	if len(data) == 0 {
		return app.NeedMore
	}
	for _, t := range startTokens {
		n := min(len(data), len(t))
		if !bytes.Equal(data[:n], t[:n]) {
			continue
		}
		if n < len(t) {
			return app.NeedMore
		}
		if t[0] != 'H' || t[1] != 'T' {
			return requestTail(data[n:])
		}
		return statusTail(data[n:])
	}
	return app.NoMatch
}

// requestTail checks what follows the method: a request-target, a space and
// "HTTP/1.", within the first line.
func requestTail(b []byte) app.ProbeResult {
	const maxLine = 2048
	sp := bytes.IndexByte(b, ' ')
	nl := bytes.IndexByte(b, '\n')
	switch {
	case nl >= 0 && (sp < 0 || nl < sp):
		return app.NoMatch
	case sp < 0:
		if len(b) > maxLine {
			return app.NoMatch
		}
		return app.NeedMore
	}
	ver := b[sp+1:]
	want := []byte("HTTP/1.")
	n := min(len(ver), len(want))
	if !bytes.Equal(ver[:n], want[:n]) {
		return app.NoMatch
	}
	if n < len(want) {
		return app.NeedMore
	}
	return app.Match
}

// statusTail checks "x ddd" after "HTTP/1.".
func statusTail(b []byte) app.ProbeResult {
	const need = 5
	for i := 0; i < min(len(b), need); i++ {
		ok := i == 1 && b[i] == ' ' || i != 1 && b[i] >= '0' && b[i] <= '9'
		if !ok {
			return app.NoMatch
		}
	}
	if len(b) < need {
		return app.NeedMore
	}
	return app.Match
}
