package ssh

import (
	"bytes"

	"labwatch/protocols/app"
)

// Port is SSH's registered port.
const Port = 22

var prefix = []byte("SSH-")

// Probe matches a stream that starts with an SSH identification line.
func Probe(data []byte) app.ProbeResult {
	switch {
	case len(data) < len(prefix):
		if bytes.HasPrefix(prefix, data) {
			return app.NeedMore
		}
		return app.NoMatch
	case bytes.HasPrefix(data, prefix):
		return app.Match
	}
	return app.NoMatch
}
