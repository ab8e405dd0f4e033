package dns

import (
	"fmt"
	"strconv"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
)

// core parses whole DNS messages and emits them; the UDP and TCP analyzers wrap
// it. The Summary, Message and its maps are reused: a message costs the strings
// handed to the emitter (name, type) and nothing else.
type core struct {
	cfg  Config
	flow *app.Flow
	emit app.Emitter
	sum  Summary
	pend pending

	rep anomaly.Reporter // anomalies, violations since the last well-formed unit, giving up

	msg    app.Message
	counts map[string]int
	attrs  map[string]string
}

// reporting names the package's anomalies and words its give-up anomaly.
var reporting = anomaly.Policy{App: "dns", GaveUpReason: ReasonGaveUp,
	GaveUpDetail: "%d malformed messages in a row; the rest of the flow is ignored"}

func newCore(flow *app.Flow, emit app.Emitter, cfg *Config) core {
	c := core{cfg: cfg.normalized(), flow: flow, emit: emit}
	c.rep = anomaly.NewReporter(&reporting, flow, emit, c.cfg.MaxViolations)
	c.pend = newPending(c.cfg.MaxPending)
	c.counts, c.attrs = make(map[string]int, 6), make(map[string]string, 5)
	return c
}

// message parses and reports one DNS message sent in direction dir.
func (c *core) message(dir app.Direction, b []byte, ts time.Time) {
	if c.rep.GaveUp {
		return
	}
	ok, err := parse(b, &c.sum, &c.cfg)
	if !ok {
		c.report(dir, ts, reasonOf(err), fmt.Sprintf("%d-byte message: %v", len(b), err), true)
		return
	}
	c.rep.Violations = 0
	c.emitMessage(dir, b, ts)
	if err != nil {
		c.report(dir, ts, reasonOf(err), fmt.Sprintf("after %d of %d records: %v", c.sum.Walked,
			c.sum.Answers+c.sum.Authority+c.sum.Additional, err), false)
	}
}

func (c *core) emitMessage(dir app.Direction, b []byte, ts time.Time) {
	s := &c.sum
	clear(c.counts)
	clear(c.attrs)
	c.msg = app.Message{App: "dns", Type: "query", Flow: c.flow, Dir: dir, TS: ts,
		ControlID: strconv.Itoa(int(s.ID)), Counts: c.counts, Attrs: c.attrs, Bytes: len(b)}
	c.attrs["qname"] = string(s.QName())
	c.attrs["qtype"] = TypeName(s.QType)
	if s.Opcode != 0 {
		c.attrs["opcode"] = OpcodeName(s.Opcode)
	}
	if s.Response {
		c.msg.Type = "response"
		c.attrs["rcode"] = RcodeName(s.Rcode)
		if s.answerLen > 0 {
			c.attrs["answer"] = string(s.Answer())
		}
		if sent, ok := c.pend.match(s.ID); ok && !ts.Before(sent) {
			c.msg.AckLatency = ts.Sub(sent)
		}
	} else {
		c.pend.add(s.ID, ts)
	}
	for _, kv := range [...]struct {
		k string
		v int
	}{{"questions", s.Questions}, {"answers", s.Answers}, {"authority", s.Authority}, {"additional", s.Additional}} {
		if kv.v != 0 {
			c.counts[kv.k] = kv.v
		}
	}
	if s.TC {
		c.counts["truncated_flag"] = 1
	}
	c.emit.Message(&c.msg)
}

// report emits an anomaly; a violation counts toward giving up on the flow.
func (c *core) report(dir app.Direction, ts time.Time, reason, detail string, violation bool) {
	c.rep.Report(dir, ts, reason, detail, violation)
}

// DatagramAnalyzer reads DNS over UDP (port 53, also mDNS on 5353): one message
// per datagram. It implements app.DatagramAnalyzer.
type DatagramAnalyzer struct{ core }

var _ app.DatagramAnalyzer = (*DatagramAnalyzer)(nil)

// NewDatagramAnalyzer returns the analyzer of one UDP flow. cfg may be nil.
func NewDatagramAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *DatagramAnalyzer {
	return &DatagramAnalyzer{newCore(flow, emit, cfg)}
}

// Datagram parses one datagram's payload; payload is not kept.
func (a *DatagramAnalyzer) Datagram(dir app.Direction, payload []byte, ts time.Time) {
	if dir > app.ServerToClient {
		return
	}
	a.message(dir, payload, ts)
}
