package creds

import (
	"bytes"

	"labwatch/protocols/app"
)

// Telnet (RFC 854): option negotiation (IAC sequences) is stripped, then the
// server's output is watched for a login prompt. The line the client types
// after "login:" is the user name (hashed at once); the line typed after
// "Password:" is only noted, never kept. Character-at-a-time clients send one
// key per segment and end lines with CR NUL or CR LF; backspace is honoured.

const (
	iac  = 255
	se   = 240
	sb   = 250
	will = 251
	dont = 254
)

type expectation uint8

const (
	expectNone expectation = iota
	expectUser
	expectPassword
)

// telnetState follows one Telnet session up to its login.
type telnetState struct {
	neg         [2]iacState
	clean       []byte // one Data call with IAC sequences removed, reused
	expect      expectation
	user        []byte // typed user name, bounded by MaxLineBytes, cleared once hashed
	userHash    string
	lines       int  // server lines seen
	clientTyped bool // the client sent printable bytes: no banner after this
	bannerDone  bool
}

// iacState is where one direction is inside an IAC sequence.
type iacState uint8

const (
	iacData   iacState = iota
	iacSeen            // after IAC
	iacOption          // after IAC WILL/WONT/DO/DONT
	iacSub             // inside IAC SB … IAC SE
	iacSubIAC          // IAC inside a subnegotiation
)

// stripIAC appends the data bytes of b to dst, dropping negotiation.
func stripIAC(dst, b []byte, st *iacState) []byte {
	for _, c := range b {
		switch *st {
		case iacData:
			if c == iac {
				*st = iacSeen
			} else {
				dst = append(dst, c)
			}
		case iacSeen:
			switch {
			case c == iac:
				dst = append(dst, iac) // escaped 255
				*st = iacData
			case c == sb:
				*st = iacSub
			case c >= will && c <= dont:
				*st = iacOption
			default:
				*st = iacData
			}
		case iacOption:
			*st = iacData
		case iacSub:
			if c == iac {
				*st = iacSubIAC
			}
		case iacSubIAC:
			if c == se {
				*st = iacData
			} else {
				*st = iacSub
			}
		}
	}
	return dst
}

func (a *Analyzer) telnetData(dir app.Direction, data []byte) {
	t := &a.tel
	t.clean = stripIAC(t.clean[:0], data, &t.neg[dir])
	if dir == app.ClientToServer {
		a.telnetClient(t.clean)
		return
	}
	a.lines[dir].split(a, dir, t.clean, true, a.telnetServerLine)
	// A prompt is not followed by a line end: look at the unfinished line.
	if p := promptIn(a.lines[dir].buf); p != expectNone && p != t.expect {
		t.expect = p
		t.user = t.user[:0]
	}
}

// telnetServerLine handles one complete line of server output.
func (a *Analyzer) telnetServerLine(_ app.Direction, line []byte) {
	t := &a.tel
	if len(bytes.TrimSpace(line)) == 0 {
		return
	}
	t.lines++
	// Prompts are armed from the unfinished line (see telnetData); the line
	// they end up on when the output goes on is not an answer.
	if promptIn(line) != expectNone {
		return
	}
	if a.text.pending.active {
		a.finishLogin(telnetResult(line))
	}
	if !t.bannerDone && !t.clientTyped {
		t.bannerDone = true
		a.banner(line)
	}
	if t.lines >= a.cfg.MaxTelnetLines && t.expect == expectNone && !a.text.pending.active {
		a.done = true // past the login: the session is left alone
	}
}

// telnetClient reads what the client types.
func (a *Analyzer) telnetClient(b []byte) {
	t := &a.tel
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			t.clientTyped = true
		}
		switch t.expect {
		case expectUser:
			switch {
			case c == '\r' || c == '\n':
				if len(t.user) > 0 {
					t.userHash = hashUser(t.user)
					clear(t.user)
					t.user = t.user[:0]
					t.expect = expectNone
				}
			case c == 0x08 || c == 0x7f:
				if len(t.user) > 0 {
					t.user = t.user[:len(t.user)-1]
				}
			case c >= 0x20 && len(t.user) < a.cfg.MaxLineBytes:
				t.user = append(t.user, c)
			}
		case expectPassword:
			if c == '\r' || c == '\n' {
				a.setLogin(login{auth: "telnet", userHash: t.userHash, credentials: true})
				t.userHash, t.expect = "", expectNone
			}
		}
	}
}

// promptIn recognises a login or password prompt at the end of a line.
func promptIn(line []byte) expectation {
	l := bytes.ToLower(bytes.TrimRight(line, " \t"))
	for _, p := range [...]string{"login:", "username:", "user name:", "user:"} {
		if bytes.HasSuffix(l, []byte(p)) {
			return expectUser
		}
	}
	for _, p := range [...]string{"password:", "passcode:"} {
		if bytes.HasSuffix(l, []byte(p)) {
			return expectPassword
		}
	}
	return expectNone
}

// telnetResult reads the server's first line after a password.
func telnetResult(line []byte) string {
	l := bytes.ToLower(line)
	for _, w := range [...]string{"incorrect", "failed", "invalid", "denied"} {
		if bytes.Contains(l, []byte(w)) {
			return "failure"
		}
	}
	return "unknown"
}
