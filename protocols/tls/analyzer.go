package tls

import (
	"fmt"
	"strings"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
	"labwatch/protocols/internal/duplex"
	"labwatch/protocols/internal/safeascii"
)

// Summary keys (app.Message.Type).
const (
	TypeClientHello = "client_hello"
	TypeServerHello = "server_hello"
	TypeAlert       = "alert"
)

// Analyzer follows the TLS record layer of one TCP flow, both directions, and
// emits one app.Message per ClientHello, ServerHello and clear-text alert. It
// marks the flow encrypted at the first hello.
//
// It implements app.Analyzer; calls for one flow come from one goroutine and no
// lock is taken. Per direction it keeps a 5-byte header, a few alert bytes and
// at most one hello (MaxHelloBytes); encrypted records are skipped by count,
// never copied. The message, its maps and the parsed hellos are reused.
type Analyzer struct {
	cfg           Config
	flow          *app.Flow
	emit          app.Emitter
	sides         [2]side
	duplex.Router // Data, Gap, End, Expire; Now

	rep anomaly.Reporter // emits anomalies, counts violations, gives up once

	ch     ClientHello
	sh     ServerHello
	msg    app.Message
	attrs  map[string]string
	counts map[string]int
}

var _ app.Analyzer = (*Analyzer)(nil)

// NewAnalyzer returns the analyzer of one flow. cfg may be nil (defaults).
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit,
		attrs: make(map[string]string, 8), counts: make(map[string]int, 4)}
	for d := range a.sides {
		a.sides[d].an, a.sides[d].dir = a, app.Direction(d)
	}
	a.rep = anomaly.NewReporter(&policy, flow, emit, a.cfg.MaxViolations)
	a.Init(&a.sides[0], &a.sides[1], &a.rep)
	return a
}

// report emits an anomaly; a violation counts toward giving up.
func (a *Analyzer) report(dir app.Direction, reason, detail string, violation bool) {
	a.rep.Report(dir, a.Now, reason, detail, violation)
}

// policy names this package's anomalies for the shared reporter.
var policy = anomaly.Policy{App: "tls", GaveUpReason: ReasonGaveUp, GaveUpDetail: "%d violations; the rest of the flow is ignored"}

// hello parses and reports a complete ClientHello or ServerHello body.
func (a *Analyzer) hello(s *side, typ uint8, body []byte) {
	var err error
	if typ == typeClientHello {
		if err = ParseClientHello(body, &a.ch); err == nil {
			a.emitClientHello(s, len(body))
		}
	} else if err = ParseServerHello(body, &a.sh); err == nil {
		a.emitServerHello(s, len(body))
	}
	if err != nil {
		a.report(s.dir, ReasonBadHandshake, fmt.Sprintf("handshake message type %d of %d bytes: %v", typ, len(body), err), true)
	}
}

// begin resets the reused message for one emission.
func (a *Analyzer) begin(s *side, typ string, size int) *app.Message {
	clear(a.attrs)
	clear(a.counts)
	a.msg = app.Message{App: "tls", Type: typ, Flow: a.flow, Dir: s.dir, TS: a.Now,
		Attrs: a.attrs, Counts: a.counts, Bytes: size}
	return &a.msg
}

// beginHello starts the message of a well-formed hello of size body bytes:
// the flow is encrypted from here on, and the violations in a row end.
func (a *Analyzer) beginHello(s *side, typ string, size int, v uint16) *app.Message {
	a.flow.Encrypted = true
	a.rep.Violations = 0
	m := a.begin(s, typ, size+4)
	m.Version = VersionName(v)
	a.attrs[AttrVersion] = m.Version
	if insecureVersion(v) {
		a.attrs[AttrInsecure] = m.Version
	}
	return m
}

func (a *Analyzer) emitClientHello(s *side, size int) {
	h := &a.ch
	m := a.beginHello(s, TypeClientHello, size, h.MaxVersion())
	if h.SNI != nil {
		a.attrs[AttrSNI] = safeascii.Copy(h.SNI, a.cfg.MaxNameBytes, false)
	}
	if len(h.ALPN) > 0 {
		var b strings.Builder
		for i, p := range h.ALPN {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(safeascii.Copy(p, a.cfg.MaxNameBytes, false))
		}
		a.attrs[AttrALPN] = b.String()
	}
	a.attrs[AttrJA4] = JA4(h)
	a.attrs[AttrJA3] = MD5Hex(JA3String(h))
	a.counts[CountCiphers] = countNonGREASE(h.Ciphers)
	a.counts[CountExtensions] = countNonGREASE(h.Extensions)
	a.emit.Message(m)
}

func (a *Analyzer) emitServerHello(s *side, size int) {
	h := &a.sh
	m := a.beginHello(s, TypeServerHello, size, h.NegotiatedVersion())
	a.attrs[AttrCipher] = CipherName(h.Cipher)
	if w := weakCipher(h.Cipher); w != "" {
		a.attrs[AttrWeakCipher] = w
	}
	if h.ALPN != nil {
		a.attrs[AttrALPN] = safeascii.Copy(h.ALPN, a.cfg.MaxNameBytes, false)
	}
	a.attrs[AttrJA3S] = MD5Hex(JA3SString(h))
	if h.HelloRetry {
		a.counts[CountHelloRetry] = 1
	}
	if h.Compression != 0 {
		a.counts[CountCompression] = 1
	}
	a.emit.Message(m)
}

// emitAlert reports a clear-text alert: a refused handshake says why here.
func (a *Analyzer) emitAlert(s *side, level, desc uint8) {
	m := a.begin(s, TypeAlert, recordHeaderLen+2)
	a.attrs[AttrAlert] = AlertName(desc)
	switch level {
	case 1:
		a.attrs[AttrLevel] = "warning"
	case 2:
		a.attrs[AttrLevel] = "fatal"
	default:
		a.attrs[AttrLevel] = fmt.Sprintf("level_%d", level)
	}
	a.emit.Message(m)
}

func countNonGREASE(vs []uint16) int {
	n := 0
	for _, v := range vs {
		if !isGREASE(v) {
			n++
		}
	}
	return n
}
