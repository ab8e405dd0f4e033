package creds

import (
	"bytes"
	"fmt"

	"labwatch/protocols/app"
	"labwatch/protocols/tls"
)

// The line protocols FTP (RFC 959, 4217), SMTP (RFC 5321, 4954), POP3
// (RFC 1939, 5034) and IMAP (RFC 9051) share one handler: their login
// commands have distinct verbs, so one reading of client lines serves all
// four, and server replies are classified as success, failure or "go on".

// textState is the exchange in progress on a line protocol.
type textState struct {
	bannerDone bool
	userHash   string // from USER, waiting for PASS
	anonymous  bool
	sasl       saslState
	tlsAsked   bool // STARTTLS, STLS or AUTH TLS sent, answer pending
	tlsSkip    int  // replies due before the answer to the TLS request
	pending    login
	// SMTP DATA: asked, then inside the message until the line ".". Mail
	// text is never read: a "USER" line in a message is not a command.
	dataAsked, inData bool
	// outstanding counts client lines not yet answered, so that the answer to
	// a login is found when clients pipeline commands (USER and PASS in one
	// segment).
	outstanding int
}

// reply is the meaning of a server line.
type reply uint8

const (
	replyOther  reply = iota // informational, multi-line part, untagged
	replyOK                  // the command succeeded
	replyFailed              // the command failed
	replyGoOn                // the server wants more (331, 334, "+ ")
)

// textLine handles one line of either direction.
func (a *Analyzer) textLine(dir app.Direction, line []byte) {
	if bytes.IndexByte(line, 0) >= 0 {
		a.report(dir, ReasonNotText, fmt.Sprintf("a %d-byte line holds NUL bytes", len(line)), true)
		return
	}
	if dir == app.ServerToClient {
		a.serverLine(line)
	} else {
		a.clientLine(line)
	}
}

func (a *Analyzer) serverLine(line []byte) {
	t := &a.text
	if !t.bannerDone {
		t.bannerDone = true
		if a.proto == protoNone {
			a.proto = guessProto(line)
		}
		if text, ok := greeting(line); ok {
			a.banner(text)
			return
		}
	}
	r := classify(line)
	if r == replyOther {
		return
	}
	t.outstanding = max(t.outstanding-1, 0)
	if t.tlsAsked {
		if t.tlsSkip > 0 {
			t.tlsSkip--
		} else if r != replyGoOn {
			t.tlsAsked = false
			if r == replyOK {
				a.flushLogin()
				a.message(app.ServerToClient, TypeStartTLS, "", nil)
				a.flow.Encrypted = true
				a.done = true
				a.upgraded = tls.NewAnalyzer(a.flow, a.emit, nil)
				return
			}
		}
	}
	if r == replyFailed {
		t.sasl = saslState{}
	}
	if t.dataAsked && t.outstanding == 0 {
		t.dataAsked = false
		t.inData = r == replyGoOn // 354: the message follows
	}
	p := &t.pending
	switch {
	case !p.active:
	case p.skip > 0:
		p.skip--
	case r == replyGoOn: // more is asked for: the login is not settled yet
	case r == replyOK:
		a.finishLogin("success")
	default:
		a.finishLogin("failure")
	}
}

// greeting returns the text of a server greeting: "220 …", "+OK …", "* OK …".
func greeting(line []byte) ([]byte, bool) {
	for _, p := range [...]string{"220 ", "220-", "+OK", "* OK", "* PREAUTH"} {
		if bytes.HasPrefix(line, []byte(p)) {
			return line[len(p):], true
		}
	}
	return nil, false
}

// classify reads a reply: POP3 +OK/-ERR, a three-digit code (the final line of
// a multi-line reply only), an IMAP tagged OK/NO/BAD, or a continuation.
func classify(line []byte) reply {
	switch {
	case bytes.HasPrefix(line, []byte("+OK")):
		return replyOK
	case bytes.HasPrefix(line, []byte("-ERR")):
		return replyFailed
	case len(line) > 0 && line[0] == '+':
		return replyGoOn
	case len(line) >= 3 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]) && (len(line) == 3 || line[3] == ' '):
		switch line[0] {
		case '2':
			return replyOK
		case '3':
			return replyGoOn
		case '4', '5':
			return replyFailed
		}
		return replyOther
	}
	tag, rest, _ := bytes.Cut(line, []byte(" "))
	if len(tag) == 0 || tag[0] == '*' {
		return replyOther
	}
	status, _, _ := bytes.Cut(rest, []byte(" "))
	switch {
	case bytes.EqualFold(status, []byte("OK")):
		return replyOK
	case bytes.EqualFold(status, []byte("NO")), bytes.EqualFold(status, []byte("BAD")):
		return replyFailed
	}
	return replyOther
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// clientLine reads the login commands; IMAP commands carry a tag first.
func (a *Analyzer) clientLine(line []byte) {
	t := &a.text
	if t.inData {
		if string(line) == "." {
			t.inData = false
			t.outstanding++
		}
		return
	}
	t.outstanding++
	if t.sasl.mech != "" {
		a.saslResponse(line)
		return
	}
	verb, rest, _ := bytes.Cut(line, []byte(" "))
	if !knownVerb(verb) {
		if v, r, _ := bytes.Cut(rest, []byte(" ")); knownVerb(v) {
			verb, rest = v, r // IMAP: tag, command, arguments
		}
	}
	switch {
	case eq(verb, "USER"):
		t.userHash = hashUser(rest)
		t.anonymous = eq(rest, "anonymous") || eq(rest, "ftp")
	case eq(verb, "PASS"):
		a.setLogin(login{auth: "user_pass", userHash: t.userHash, credentials: !t.anonymous, anonymous: t.anonymous})
		t.userHash, t.anonymous = "", false
	case eq(verb, "APOP"):
		name, _, _ := bytes.Cut(rest, []byte(" "))
		a.setLogin(login{auth: "apop", userHash: hashUser(name), credentials: true})
	case eq(verb, "LOGIN"):
		a.setLogin(login{auth: "login", userHash: hashUser(imapAString(rest)), credentials: true})
	case eq(verb, "DATA") && a.proto == ProtoSMTP:
		t.dataAsked = true
	case eq(verb, "AUTH") && len(rest) == 0:
		// POP3 AUTH without a mechanism lists the mechanisms
	case eq(verb, "AUTH"), eq(verb, "AUTHENTICATE"):
		mech, initial, _ := bytes.Cut(rest, []byte(" "))
		if eq(mech, "TLS") || eq(mech, "SSL") || eq(mech, "TLS-C") {
			t.askTLS()
			return
		}
		t.sasl = saslState{mech: saslMechanism(mech)}
		if len(initial) > 0 && string(initial) != "=" {
			a.saslResponse(initial)
		}
	case eq(verb, "STARTTLS"), eq(verb, "STLS"):
		t.askTLS()
	}
}

func (t *textState) askTLS() { t.tlsAsked, t.tlsSkip = true, max(t.outstanding-1, 0) }

var verbs = [...]string{"USER", "PASS", "APOP", "LOGIN", "AUTH", "AUTHENTICATE", "STARTTLS", "STLS", "DATA"}

func knownVerb(v []byte) bool {
	for _, k := range verbs {
		if eq(v, k) {
			return true
		}
	}
	return false
}

func eq(b []byte, s string) bool { return bytes.EqualFold(b, []byte(s)) }

// imapAString returns the first IMAP astring of args: an atom or a quoted
// string (a literal's content is not on this line: nil).
func imapAString(args []byte) []byte {
	if len(args) == 0 {
		return nil
	}
	if args[0] == '"' {
		for i := 1; i < len(args); i++ {
			switch args[i] {
			case '\\':
				i++
			case '"':
				return args[1:i]
			}
		}
		return nil
	}
	if args[0] == '{' {
		return nil
	}
	atom, _, _ := bytes.Cut(args, []byte(" "))
	return atom
}
