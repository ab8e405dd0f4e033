package creds

import (
	"bytes"
	"fmt"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/safeascii"
	"labwatch/protocols/tls"
)

// Protocol names, used as app.Message.App and chosen by server port or by the
// server's greeting.
const (
	ProtoFTP    = "ftp"
	ProtoTelnet = "telnet"
	ProtoSMTP   = "smtp"
	ProtoPOP3   = "pop3"
	ProtoIMAP   = "imap"
	ProtoSNMP   = "snmp"
	protoNone   = "creds" // not yet known
)

// Ports are the registered server ports of the TCP protocols of this package.
var Ports = map[uint16]string{21: ProtoFTP, 23: ProtoTelnet, 25: ProtoSMTP, 587: ProtoSMTP, 2525: ProtoSMTP, 110: ProtoPOP3, 143: ProtoIMAP}

// SNMPPorts are the registered UDP ports of SNMP (agent, trap receiver).
var SNMPPorts = []uint16{161, 162}

// Analyzer watches one TCP flow of FTP, Telnet, SMTP, POP3 or IMAP for
// credentials sent in clear and for the server's greeting.
//
// It implements app.Analyzer; calls for one flow come from one goroutine and no
// lock is taken. Each direction keeps at most one partial line (MaxLineBytes);
// complete lines are handled in place. Passwords are never copied: the
// analyzer only notes that one crossed.
type Analyzer struct {
	cfg   Config
	flow  *app.Flow
	emit  app.Emitter
	proto string
	lines [2]lineBuf
	now   time.Time

	violations int
	gaveUp     bool
	done       bool // after STARTTLS, or a Telnet session past its login
	// upgraded reads the TLS session that follows an accepted STARTTLS, so
	// that its version, SNI and fingerprints are reported like any other.
	upgraded *tls.Analyzer

	text    textState
	tel     telnetState
	decoded []byte // SASL responses decoded, reused

	msg   app.Message
	attrs map[string]string
	count map[string]int
	anom  app.Anomaly
}

var _ app.Analyzer = (*Analyzer)(nil)

// NewAnalyzer returns the analyzer of one flow; the protocol is chosen by the
// server port (Ports), else by the server's first bytes. cfg may be nil.
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit, proto: protoNone,
		attrs: make(map[string]string, 4), count: make(map[string]int, 1)}
	if p, ok := Ports[flow.Server.Port()]; ok {
		a.proto = p
	}
	return a
}

// Data handles the next bytes of direction dir. data is not kept.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if a.upgraded != nil {
		a.upgraded.Data(dir, data, ts)
		return
	}
	if a.gaveUp || a.done || dir > app.ServerToClient || len(data) == 0 {
		return
	}
	a.now = ts
	if a.proto == protoNone && dir == app.ServerToClient && data[0] == iac {
		a.proto = ProtoTelnet
	}
	if a.proto == ProtoTelnet {
		a.telnetData(dir, data)
		return
	}
	a.lines[dir].split(a, dir, data, false, a.textLine)
}

// Gap drops the partial line of dir and any exchange in progress.
func (a *Analyzer) Gap(dir app.Direction, n int) {
	if a.upgraded != nil {
		a.upgraded.Gap(dir, n)
		return
	}
	if a.gaveUp || a.done || dir > app.ServerToClient {
		return
	}
	detail := "bytes lost in capture; resuming at the next line"
	if n >= 0 {
		detail = fmt.Sprintf("%d %s", n, detail)
	}
	a.report(dir, ReasonGapResync, detail, false)
	a.lines[dir].drop()
	a.text.sasl = saslState{}
	a.tel.expect = expectNone
}

// End reports a login still waiting for the server's answer.
func (a *Analyzer) End(dir app.Direction) {
	if a.upgraded != nil {
		a.upgraded.End(dir)
		return
	}
	if a.gaveUp || dir > app.ServerToClient {
		return
	}
	a.flushLogin()
}

// Expire reports a login still waiting for the server's answer.
func (a *Analyzer) Expire() {
	if a.upgraded != nil {
		a.upgraded.Expire()
		return
	}
	if !a.gaveUp {
		a.flushLogin()
	}
}

// guessProto names the protocol from a server's first line.
func guessProto(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("+OK")):
		return ProtoPOP3
	case bytes.HasPrefix(b, []byte("* ")):
		return ProtoIMAP
	case bytes.HasPrefix(b, []byte("220")):
		upper := bytes.ToUpper(b[:min(len(b), 256)])
		if bytes.Contains(upper, []byte("SMTP")) || bytes.Contains(upper, []byte("MAIL")) {
			return ProtoSMTP
		}
		return ProtoFTP
	}
	return protoNone
}

// report emits an anomaly; a violation counts toward giving up.
func (a *Analyzer) report(dir app.Direction, reason, detail string, violation bool) {
	if a.gaveUp {
		return
	}
	a.anom = app.Anomaly{App: a.proto, Reason: reason, Flow: a.flow, Dir: dir, TS: a.now, Detail: detail}
	a.emit.Anomaly(&a.anom)
	if !violation {
		return
	}
	if a.violations++; a.violations >= a.cfg.MaxViolations {
		a.gaveUp = true
		a.anom = app.Anomaly{App: a.proto, Reason: ReasonGaveUp, Flow: a.flow, Dir: dir, TS: a.now, GaveUp: true,
			Detail: fmt.Sprintf("%d violations; the rest of the flow is ignored", a.violations)}
		a.emit.Anomaly(&a.anom)
	}
}

// message emits one message of type typ with the attributes set by fill.
func (a *Analyzer) message(dir app.Direction, typ, software string, fill func(attrs map[string]string, count map[string]int)) {
	clear(a.attrs)
	clear(a.count)
	if fill != nil {
		fill(a.attrs, a.count)
	}
	a.msg = app.Message{App: a.proto, Type: typ, Flow: a.flow, Dir: dir, TS: a.now, Software: software,
		Attrs: a.attrs, Counts: a.count}
	a.emit.Message(&a.msg)
}

// banner reports a server greeting; its text names the server software.
func (a *Analyzer) banner(text []byte) {
	a.message(app.ServerToClient, TypeBanner, safeascii.Copy(bytes.TrimSpace(text), a.cfg.MaxValueBytes, true), nil)
}

// login is one credential exchange waiting for the server's answer.
type login struct {
	active bool
	skip   int // server replies due to earlier client lines, before this login's

	auth        string
	userHash    string
	credentials bool
	anonymous   bool
}

// setLogin records a login; one still waiting is reported first.
func (a *Analyzer) setLogin(l login) {
	a.flushLogin()
	l.active = true
	l.skip = max(a.text.outstanding-1, 0)
	a.text.pending = l
}

// finishLogin reports the pending login with the server's answer.
func (a *Analyzer) finishLogin(result string) {
	l := a.text.pending
	if !l.active {
		return
	}
	a.text.pending = login{}
	a.message(app.ClientToServer, TypeLogin, "", func(attrs map[string]string, count map[string]int) {
		attrs[AttrAuth], attrs[AttrResult] = l.auth, result
		if l.userHash != "" {
			attrs[AttrUserHash] = l.userHash
		}
		if l.anonymous {
			attrs[AttrAnonymous] = "1"
		}
		if l.credentials {
			count[CountCredentials] = 1
		}
	})
}

func (a *Analyzer) flushLogin() { a.finishLogin("unknown") }

// hashUser returns the keyed hash of a user name, "" for none.
func hashUser(user []byte) string {
	if len(user) == 0 {
		return ""
	}
	return app.KeyedHash(string(user))
}
