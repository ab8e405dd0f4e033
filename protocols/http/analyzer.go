package http

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strconv"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
	"labwatch/protocols/internal/duplex"
	"labwatch/protocols/internal/safeascii"
)

// Analyzer parses the HTTP/1.x traffic of one TCP flow, both directions, and
// emits one app.Message per complete request and response and one app.Anomaly
// per violation.
//
// It implements app.Analyzer; calls for one flow come from one goroutine and no
// lock is taken. Each direction keeps at most one header block
// (MaxHeaderBytes), one chunk-size line (MaxChunkLine) and one inspected body
// prefix (MaxBodyInspect), in buffers it reuses; the rest of a body is skipped
// by count. Messages, their maps and the JSON scanner's stack are reused.
type Analyzer struct {
	cfg           Config
	flow          *app.Flow
	emit          app.Emitter
	sides         [2]side
	duplex.Router // Data, Gap, End, Expire; Now

	rep     anomaly.Reporter // emits anomalies, counts violations, gives up once
	pending pendingQueue

	authBuf [maxAuthBytes]byte
	js      jsonScanner
	gz      *gzip.Reader
	gzIn    bytes.Reader
	gzOut   []byte
}

// msgState is the message a direction is building.
type msgState struct {
	msg       app.Message
	attrs     map[string]string
	counts    map[string]int
	fields    []string
	reqMethod string // response: method of the request it answers
	ti        targetInfo
	bi        bodyInfo
}

var _ app.Analyzer = (*Analyzer)(nil)

// NewAnalyzer returns the analyzer of one flow. cfg may be nil (defaults).
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit}
	for d := range a.sides {
		s := &a.sides[d]
		s.an, s.dir = a, app.Direction(d)
		s.m.attrs = make(map[string]string, 12)
		s.m.counts = make(map[string]int, 8)
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
var policy = anomaly.Policy{App: "http", GaveUpReason: ReasonGaveUp, GaveUpDetail: "%d violations without a well-formed message; the rest of the flow is ignored"}

// begin fills side s's message from its parsed head. Header values are copied
// here: the head points into the caller's slice.
func (a *Analyzer) begin(s *side) {
	h, m := &s.h, &s.m
	clear(m.attrs)
	clear(m.counts)
	m.fields, m.reqMethod = m.fields[:0], ""
	m.ti.reset()
	m.msg = app.Message{App: "http", Flow: a.flow, Dir: s.dir, TS: a.Now, Version: h.version,
		Attrs: m.attrs, Counts: m.counts}
	m.counts[CountHeaders] = h.headers
	if h.skipped > 0 {
		m.counts[CountHeadersSkip] = h.skipped
	}
	if len(h.contentType) > 0 {
		ct, _, _ := bytes.Cut(h.contentType, []byte(";"))
		m.attrs[AttrContentType] = a.printable(bytes.TrimSpace(ct))
	}
	if h.response {
		a.beginResponse(s)
	} else {
		a.beginRequest(s)
	}
}

func (a *Analyzer) beginRequest(s *side) {
	h, m := &s.h, &s.m
	m.msg.Type = h.method
	m.attrs[AttrMethod] = h.method
	if h.method == "CONNECT" {
		m.attrs[AttrHost] = a.printable(h.target)
	} else {
		reduceTarget(h.target, &m.ti)
		m.attrs[AttrPath] = m.ti.path
	}
	if len(h.host) > 0 {
		m.attrs[AttrHost] = a.printable(h.host)
	}
	if len(h.userAgent) > 0 {
		m.msg.Software = a.printable(h.userAgent)
		m.attrs[AttrUserAgent] = m.msg.Software
	}
	if len(h.authorization) > 0 {
		auth := parseAuth(h.authorization, &a.authBuf)
		m.attrs[AttrAuth] = auth.scheme
		if auth.user != nil {
			m.attrs[AttrUserHash] = app.KeyedHash(string(auth.user))
		}
		if auth.credentials {
			m.counts[CountCredentials] = 1
		}
		clear(a.authBuf[:])
	}
	if !a.pending.push(pendingReq{method: h.method, path: m.ti.path, ts: a.Now}, a.cfg.MaxPending) {
		a.report(s.dir, ReasonPendingOverflow, fmt.Sprintf("more than %d requests without a response; the oldest was dropped", a.cfg.MaxPending), false)
	}
}

func (a *Analyzer) beginResponse(s *side) {
	h, m := &s.h, &s.m
	m.msg.Type = TypeResponse
	m.attrs[AttrStatus] = strconv.Itoa(h.status)
	if len(h.server) > 0 {
		m.msg.Software = a.printable(h.server)
		m.attrs[AttrServer] = m.msg.Software
	}
	req, ok := a.pending.peek()
	if !ok {
		return
	}
	if h.status >= 200 || h.status == 101 {
		a.pending.pop() // 1xx interim responses leave the request waiting
	}
	m.reqMethod = req.method
	m.attrs[AttrMethod] = req.method
	if req.path != "" {
		m.attrs[AttrPath] = req.path
	}
	if !req.ts.IsZero() && !a.Now.Before(req.ts) {
		m.msg.AckLatency = a.Now.Sub(req.ts)
	}
}

// frame tells how the body of the head just parsed is delimited.
type frame uint8

const (
	frameBody   frame = iota // by the headers (length, chunked, close)
	frameNone                // no body
	frameTunnel              // the connection stops carrying HTTP
)

func (a *Analyzer) framing(s *side) frame {
	h := &s.h
	if !h.response {
		if h.method == "CONNECT" {
			return frameTunnel
		}
		return frameBody
	}
	switch {
	case h.status == 101 || s.m.reqMethod == "CONNECT" && h.status/100 == 2:
		a.sides[app.ClientToServer].st = stTunnel
		return frameTunnel
	case s.m.reqMethod == "HEAD" || h.status/100 == 1 || h.status == 204 || h.status == 304:
		return frameNone
	}
	return frameBody
}

// emitMessage inspects the body of side s's message and emits it.
func (a *Analyzer) emitMessage(s *side) {
	if a.rep.GaveUp {
		return
	}
	m := &s.m
	m.bi.reset()
	body := s.bbuf
	if s.gzip && len(body) > 0 {
		body = a.inflate(body)
	}
	inspect(body, &a.cfg, &m.bi, &a.js)
	s.bbuf = s.bbuf[:0]

	resource := m.bi.resource
	if resource == "" {
		resource = m.ti.resource
	}
	if resource != "" {
		m.attrs[AttrFHIRResource] = resource
	}
	if m.bi.hl7Type != "" {
		m.attrs[AttrHL7Type] = a.printable([]byte(m.bi.hl7Type))
	}
	if m.bi.resources > 0 {
		m.counts[CountFHIR] = m.bi.resources
	}
	if m.bi.hl7 > 0 {
		m.counts[CountHL7] = m.bi.hl7
	}
	if s.bodyBytes > 0 {
		m.counts[CountBodyBytes] = int(min(s.bodyBytes, 1<<40))
	}
	if s.cut {
		m.counts[CountBodyTrunc] = 1
	}
	m.msg.PHI = m.ti.phi | m.bi.phi
	m.fields = append(append(m.fields[:0], m.ti.fields...), m.bi.fields...)
	m.msg.PHIFields = nil
	if len(m.fields) > 0 {
		m.msg.PHIFields = m.fields
	}
	m.msg.Bytes = s.headBytes + int(min(s.bodyBytes, 1<<40))
	a.rep.Violations = 0
	a.emit.Message(&m.msg)
}

// inflate returns up to MaxBodyInspect bytes of a gzip body (a prefix when the
// body was cut), in a buffer the analyzer reuses.
func (a *Analyzer) inflate(p []byte) []byte {
	a.gzIn.Reset(p)
	if a.gz == nil {
		a.gz = new(gzip.Reader)
	}
	if err := a.gz.Reset(&a.gzIn); err != nil {
		return nil
	}
	a.gz.Multistream(false)
	if a.gzOut == nil {
		a.gzOut = make([]byte, a.cfg.MaxBodyInspect)
	}
	n, _ := io.ReadFull(a.gz, a.gzOut)
	return a.gzOut[:n]
}

// printable copies a header value, truncated to MaxValueBytes, with bytes
// outside printable ASCII (space included) replaced by '?'.
func (a *Analyzer) printable(b []byte) string { return safeascii.Copy(b, a.cfg.MaxValueBytes, true) }
