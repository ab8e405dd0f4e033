package dhcp

import (
	"fmt"
	"strconv"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
)

// DatagramAnalyzer reads the DHCP messages of one UDP flow (ports 67/68) and
// emits one app.Message per message. It implements app.DatagramAnalyzer. The
// Summary, Message, maps and the string-building buffer are reused; a message
// costs only the strings handed to the emitter.
type DatagramAnalyzer struct {
	cfg  Config
	flow *app.Flow
	emit app.Emitter
	sum  Summary

	rep anomaly.Reporter // anomalies, violations since the last well-formed unit, giving up

	msg    app.Message
	counts map[string]int
	attrs  map[string]string
	buf    []byte
}

var _ app.DatagramAnalyzer = (*DatagramAnalyzer)(nil)

// reporting names the package's anomalies and words its give-up anomaly.
var reporting = anomaly.Policy{App: "dhcp", GaveUpReason: ReasonGaveUp,
	GaveUpDetail: "%d malformed messages in a row; the rest of the flow is ignored"}

// NewDatagramAnalyzer returns the analyzer of one UDP flow. cfg may be nil.
func NewDatagramAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *DatagramAnalyzer {
	a := &DatagramAnalyzer{cfg: cfg.normalized(), flow: flow, emit: emit,
		counts: make(map[string]int, 2), attrs: make(map[string]string, 8), buf: make([]byte, 0, 256)}
	a.rep = anomaly.NewReporter(&reporting, flow, emit, a.cfg.MaxViolations)
	return a
}

// Datagram parses one payload; it is not kept.
func (a *DatagramAnalyzer) Datagram(dir app.Direction, payload []byte, ts time.Time) {
	if a.rep.GaveUp || dir > app.ServerToClient {
		return
	}
	ok, err := parse(payload, &a.sum, &a.cfg)
	if !ok {
		a.report(dir, ts, reasonOf(err), fmt.Sprintf("%d-byte message: %v", len(payload), err), true)
		return
	}
	a.rep.Violations = 0
	a.emitMessage(dir, payload, ts)
	if err != nil {
		a.report(dir, ts, reasonOf(err), fmt.Sprintf("after %d options: %v", a.sum.Options, err), false)
	}
}

func (a *DatagramAnalyzer) emitMessage(dir app.Direction, payload []byte, ts time.Time) {
	s := &a.sum
	clear(a.counts)
	clear(a.attrs)
	a.msg = app.Message{App: "dhcp", Type: TypeName(s), Flow: a.flow, Dir: dir, TS: ts,
		ControlID: strconv.FormatUint(uint64(s.XID), 16), Counts: a.counts, Attrs: a.attrs, Bytes: len(payload)}
	limit := a.cfg.MaxStringBytes
	a.set("client_mac", hexColon(a.buf[:0], s.MAC))
	if len(s.HostName) > 0 {
		a.set("hostname", printable(a.buf[:0], s.HostName, limit))
	}
	if len(s.Vendor) > 0 {
		a.msg.Device = string(printable(a.buf[:0], s.Vendor, limit))
		a.attrs["vendor_class"] = a.msg.Device
	}
	if len(s.PRL) > 0 {
		a.set("prl", decimalList(a.buf[:0], s.PRL))
	}
	if len(s.FQDN) > 0 {
		a.set("fqdn", printable(a.buf[:0], s.FQDN, limit))
	}
	if s.ReqIP.IsValid() {
		a.attrs["requested_ip"] = s.ReqIP.String()
	}
	if s.ServerID.IsValid() {
		a.attrs["server_id"] = s.ServerID.String()
	}
	if s.Reply && !s.Yiaddr.IsUnspecified() {
		a.attrs["assigned_ip"] = s.Yiaddr.String()
	}
	if s.Options > 0 {
		a.counts["options"] = s.Options
	}
	if s.Hops > 0 {
		a.counts["hops"] = int(s.Hops)
	}
	a.emit.Message(&a.msg)
}

func (a *DatagramAnalyzer) set(key string, v []byte) {
	if len(v) > 0 {
		a.attrs[key] = string(v)
	}
}

// report emits an anomaly; a violation counts toward giving up on the flow.
func (a *DatagramAnalyzer) report(dir app.Direction, ts time.Time, reason, detail string, violation bool) {
	a.rep.Report(dir, ts, reason, detail, violation)
}
