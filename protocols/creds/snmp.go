package creds

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
)

// SNMP v1 and v2c (RFC 1157, RFC 3416) authenticate with a community string
// sent in clear in every datagram. The message is read with a bounded BER
// walker: SEQUENCE { version INTEGER, community OCTET STRING, PDU }. The
// community is reported only as a keyed hash; v3 messages (USM) are reported
// by version without credentials.

// pduTypes names the PDU context tags 0xA0–0xA8.
var pduTypes = [...]string{"snmp_get", "snmp_getnext", "snmp_response", "snmp_set", "snmp_trap",
	"snmp_getbulk", "snmp_inform", "snmp_trap", "snmp_report"}

// DatagramAnalyzer reads the SNMP datagrams of one UDP flow.
//
// It implements app.DatagramAnalyzer. It keeps no buffer: each datagram is
// parsed in place; the message and its maps are reused.
type DatagramAnalyzer struct {
	cfg    Config
	flow   *app.Flow
	emit   app.Emitter
	bad    int // malformed datagrams in a row
	gaveUp bool
	// The community of a flow rarely changes: its hash is kept, keyed by the
	// last community seen, so that a steady poll costs no HMAC.
	lastCommunity []byte
	lastHash      string
	msg           app.Message
	attrs         map[string]string
	count         map[string]int
	anom          app.Anomaly
}

var _ app.DatagramAnalyzer = (*DatagramAnalyzer)(nil)

// NewDatagramAnalyzer returns the SNMP analyzer of one UDP flow. cfg may be nil.
func NewDatagramAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *DatagramAnalyzer {
	return &DatagramAnalyzer{cfg: cfg.normalized(), flow: flow, emit: emit,
		attrs: make(map[string]string, 4), count: make(map[string]int, 1)}
}

// SNMPMessage is what a datagram reveals.
type SNMPMessage struct {
	Version   int    // 0 v1, 1 v2c, 3 v3
	Community []byte // v1/v2c; points into the datagram
	PDU       string // summary key ("snmp_get" …), "snmp_v3" for v3
	// SysDescr is the agent's sysDescr.0 (system description: model and
	// firmware) when a response carries it; points into the datagram.
	SysDescr []byte
}

// sysDescrOID is 1.3.6.1.2.1.1.1.0 in BER.
var sysDescrOID = []byte{0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00}

// maxVarbinds bounds the variable bindings searched for sysDescr.
const maxVarbinds = 64

// sysDescrOf walks a response PDU's variable bindings (request-id,
// error-status, error-index, then SEQUENCE OF {OID, value}) for sysDescr.0.
func sysDescrOf(pdu []byte) []byte {
	rest := pdu
	for i := 0; i < 3; i++ { // request-id, error-status, error-index
		var ok bool
		if _, _, rest, ok = berTLV(rest); !ok {
			return nil
		}
	}
	tag, list, _, ok := berTLV(rest)
	if !ok || tag != 0x30 {
		return nil
	}
	for i := 0; i < maxVarbinds && len(list) > 0; i++ {
		var vb []byte
		if tag, vb, list, ok = berTLV(list); !ok || tag != 0x30 {
			return nil
		}
		otag, oid, val, ok := berTLV(vb)
		if !ok || otag != 0x06 || string(oid) != string(sysDescrOID) {
			continue
		}
		if vtag, v, _, ok := berTLV(val); ok && vtag == 0x04 {
			return v
		}
		return nil
	}
	return nil
}

// errSNMP is the one parse error; its text names no content.
type errSNMP string

func (e errSNMP) Error() string { return "snmp: " + string(e) }

// ParseSNMP reads the header of one SNMP message.
func ParseSNMP(b []byte) (SNMPMessage, error) {
	var m SNMPMessage
	tag, body, _, ok := berTLV(b)
	if !ok || tag != 0x30 {
		return m, errSNMP("not a BER SEQUENCE")
	}
	tag, ver, rest, ok := berTLV(body)
	if !ok || tag != 0x02 || len(ver) == 0 || len(ver) > 4 {
		return m, errSNMP("version is not a small INTEGER")
	}
	for _, c := range ver {
		m.Version = m.Version<<8 | int(c)
	}
	switch m.Version {
	case 0, 1:
	case 3:
		m.PDU = "snmp_v3"
		return m, nil
	default:
		return m, errSNMP(fmt.Sprintf("unknown version %d", m.Version))
	}
	tag, m.Community, rest, ok = berTLV(rest)
	if !ok || tag != 0x04 {
		return m, errSNMP("community is not an OCTET STRING")
	}
	tag, pdu, _, ok := berTLV(rest)
	if !ok || tag < 0xa0 || tag > 0xa8 {
		return m, errSNMP("no PDU after the community")
	}
	m.PDU = pduTypes[tag-0xa0]
	if tag == 0xa2 {
		m.SysDescr = sysDescrOf(pdu)
	}
	return m, nil
}

// berTLV reads one tag-length-value with a single-byte tag and a definite
// length of at most four bytes, checked against what remains.
func berTLV(b []byte) (tag byte, value, rest []byte, ok bool) {
	if len(b) < 2 {
		return 0, nil, nil, false
	}
	tag = b[0]
	n := int(b[1])
	i := 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 4 || len(b) < 2+k {
			return 0, nil, nil, false
		}
		n = 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
		i += k
	}
	if n < 0 || n > len(b)-i {
		return 0, nil, nil, false
	}
	return tag, b[i : i+n], b[i+n:], true
}

// Datagram parses one datagram and reports it.
func (d *DatagramAnalyzer) Datagram(dir app.Direction, payload []byte, ts time.Time) {
	if d.gaveUp {
		return
	}
	m, err := ParseSNMP(payload)
	if err != nil {
		d.bad++
		d.anom = app.Anomaly{App: ProtoSNMP, Reason: ReasonBadPacket, Flow: d.flow, Dir: dir, TS: ts,
			Detail: fmt.Sprintf("%d-byte datagram: %v", len(payload), err)}
		d.emit.Anomaly(&d.anom)
		if d.bad >= d.cfg.MaxViolations {
			d.gaveUp = true
			d.anom = app.Anomaly{App: ProtoSNMP, Reason: ReasonGaveUp, Flow: d.flow, Dir: dir, TS: ts, GaveUp: true,
				Detail: fmt.Sprintf("%d malformed datagrams in a row; the rest of the flow is ignored", d.bad)}
			d.emit.Anomaly(&d.anom)
		}
		return
	}
	d.bad = 0
	clear(d.attrs)
	clear(d.count)
	d.attrs[AttrVersion] = [...]string{"v1", "v2c", "v2", "v3"}[m.Version]
	if m.Version != 3 {
		d.attrs[AttrAuth] = "community"
		d.attrs[AttrUserHash] = d.communityHash(m.Community)
		d.count[CountCredentials] = 1
		if c := string(m.Community); c == "public" || c == "private" {
			d.attrs[AttrDefault] = "1"
		}
	}
	d.msg = app.Message{App: ProtoSNMP, Type: m.PDU, Flow: d.flow, Dir: dir, TS: ts, Version: d.attrs[AttrVersion],
		Attrs: d.attrs, Counts: d.count, Bytes: len(payload), Software: printableLabel(m.SysDescr, 128)}
	d.emit.Message(&d.msg)
}

// communityHash returns the keyed hash of a community, from the cache when it
// is the flow's last one.
func (d *DatagramAnalyzer) communityHash(c []byte) string {
	if d.lastHash == "" || string(c) != string(d.lastCommunity) {
		d.lastCommunity = append(d.lastCommunity[:0], c...)
		d.lastHash = app.KeyedHash(string(c))
	}
	return d.lastHash
}

// printableLabel keeps a device-supplied description as text only if it is
// printable ASCII (tabs and line breaks become spaces), cut to max bytes.
func printableLabel(b []byte, max int) string {
	if len(b) > max {
		b = b[:max]
	}
	out := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case c == '\t' || c == '\r' || c == '\n':
			out = append(out, ' ')
		case c < 0x20 || c > 0x7e:
			return ""
		default:
			out = append(out, c)
		}
	}
	return string(out)
}
