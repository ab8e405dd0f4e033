package creds

import (
	"bytes"

	"labwatch/protocols/app"
)

// Probe tells from a server's first bytes whether it greets like FTP or SMTP
// ("220 " or "220-"), POP3 ("+OK"), IMAP ("* OK", "* PREAUTH") or Telnet (IAC
// then an option command). Clients speak second in all of them, so the client
// direction never matches.
func Probe(data []byte) app.ProbeResult {
	if len(data) == 0 {
		return app.NeedMore
	}
	if data[0] == iac {
		if len(data) < 2 {
			return app.NeedMore
		}
		if data[1] >= will && data[1] <= dont || data[1] == sb {
			return app.Match
		}
		return app.NoMatch
	}
	for _, g := range [...]string{"220 ", "220-", "+OK", "* OK ", "* PREAUTH "} {
		n := min(len(data), len(g))
		if !bytes.Equal(data[:n], []byte(g[:n])) {
			continue
		}
		if n < len(g) {
			return app.NeedMore
		}
		return app.Match
	}
	return app.NoMatch
}
