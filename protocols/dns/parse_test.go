package dns

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

func TestMessages(t *testing.T) {
	ptr := build(t, &layers.DNS{ID: 9, QR: true, AA: true, Questions: question("21.3.40.10.in-addr.arpa", layers.DNSTypePTR),
		Answers: []layers.DNSResourceRecord{{Name: []byte("21.3.40.10.in-addr.arpa"), Type: layers.DNSTypePTR,
			Class: layers.DNSClassIN, TTL: 60, PTR: []byte("ZEBRA1.lab.example.org")}}})
	aaaa := build(t, &layers.DNS{ID: 10, QR: true, Questions: question("lis.lab.example.org", layers.DNSTypeAAAA),
		Answers: []layers.DNSResourceRecord{{Name: []byte("lis.lab.example.org"), Type: layers.DNSTypeAAAA,
			Class: layers.DNSClassIN, TTL: 60, IP: []byte{0xfd, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}}}})
	srv := query(t, 11, "_ldap._tcp.dc._msdcs.Lab.Example.ORG", layers.DNSTypeSRV)
	tests := []struct {
		name  string
		msg   []byte
		typ   string
		attrs map[string]string
		count map[string]int
	}{
		{"A query", query(t, 1, "lis.lab.example.org", layers.DNSTypeA), "query",
			map[string]string{"qname": "lis.lab.example.org", "qtype": "A"}, map[string]int{"questions": 1}},
		{"A answer, two records", answerA(t, 1, "ntp.lab.example.org", "10.40.0.53", "10.40.1.10"), "response",
			map[string]string{"qname": "ntp.lab.example.org", "qtype": "A", "rcode": "NOERROR", "answer": "10.40.0.53"},
			map[string]int{"questions": 1, "answers": 2}},
		{"NXDOMAIN", answerA(t, 2, "wpad.lab.example.org"), "response",
			map[string]string{"qname": "wpad.lab.example.org", "qtype": "A", "rcode": "NXDOMAIN"}, map[string]int{"questions": 1}},
		{"PTR", ptr, "response",
			map[string]string{"qname": "21.3.40.10.in-addr.arpa", "qtype": "PTR", "rcode": "NOERROR", "answer": "zebra1.lab.example.org"},
			map[string]int{"questions": 1, "answers": 1}},
		{"AAAA", aaaa, "response",
			map[string]string{"qname": "lis.lab.example.org", "qtype": "AAAA", "rcode": "NOERROR", "answer": "fd00:40::10"},
			map[string]int{"questions": 1, "answers": 1}},
		{"SRV, mixed case", srv, "query",
			map[string]string{"qname": "_ldap._tcp.dc._msdcs.lab.example.org", "qtype": "SRV"}, map[string]int{"questions": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &prototest.Recorder{}
			NewDatagramAnalyzer(testFlow, r, nil).Datagram(app.ClientToServer, tc.msg, t0)
			require.Len(t, r.Msgs, 1)
			assert.Empty(t, r.Anoms)
			assert.Equal(t, tc.typ, r.Msgs[0].Type)
			assert.Equal(t, tc.attrs, r.Msgs[0].Attrs)
			assert.Equal(t, tc.count, r.Msgs[0].Counts)
		})
	}
}

// hexMsg decodes a hex literal with spaces.
func hexMsg(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	require.NoError(t, err)
	return b
}

func TestMalformed(t *testing.T) {
	long := "0001 0000 0001 0000 0000 0000" + strings.Repeat(" 3f"+strings.Repeat("61", 63), 4) + " 00 0001 0001"
	tests := []struct {
		name   string
		msg    string
		emits  bool
		reason string
	}{
		// header (id 1, flags 0, qd 1) then the name.
		{"short header", "0001 0000 0001", false, ReasonBadHeader},
		{"no question", "0001 0000 0000 0000 0000 0000", false, ReasonBadHeader},
		{"self pointer", "0001 0000 0001 0000 0000 0000 c00c 0001 0001", false, ReasonBadName},
		{"forward pointer", "0001 0000 0001 0000 0000 0000 c020 0001 0001", false, ReasonBadName},
		{"two pointers looping", "0001 0000 0001 0000 0000 0000 01 61 c00c 0001 0001", false, ReasonBadName},
		{"label runs past end", "0001 0000 0001 0000 0000 0000 09 6162", false, ReasonTruncated},
		{"extended label type", "0001 0000 0001 0000 0000 0000 41 00 0001 0001", false, ReasonBadName},
		{"name too long", long, false, ReasonBadName},
		{"answer count lies", "0001 8180 0001 0005 0000 0000 01 61 00 0001 0001 c00c 0001 0001 0000003c 0004 0a280001", true, ReasonTruncated},
		{"rdlength lies", "0001 8180 0001 0001 0000 0000 01 61 00 0001 0001 c00c 0001 0001 0000003c 00ff 0a", true, ReasonTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &prototest.Recorder{}
			NewDatagramAnalyzer(testFlow, r, nil).Datagram(app.ClientToServer, hexMsg(t, tc.msg), t0)
			assert.Equal(t, tc.emits, len(r.Msgs) == 1)
			assert.Equal(t, []string{tc.reason}, r.Reasons())
		})
	}
}

func TestPointerCompressionAndEscapes(t *testing.T) {
	// Question "a.b" then an answer whose CNAME is "x\.y" + pointer to "b".
	msg := hexMsg(t, "0001 8180 0001 0001 0000 0000 01 61 01 62 00 0005 0001"+
		" c00c 0005 0001 0000003c 0006 03 78 2e 00 c00e")
	r := &prototest.Recorder{}
	NewDatagramAnalyzer(testFlow, r, nil).Datagram(app.ServerToClient, msg, t0)
	require.Len(t, r.Msgs, 1)
	assert.Empty(t, r.Anoms)
	assert.Equal(t, `x\.\000.b`, r.Msgs[0].Attrs["answer"])
}

func TestRecordCap(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxRecords = 1
	r := &prototest.Recorder{}
	NewDatagramAnalyzer(testFlow, r, &cfg).Datagram(app.ServerToClient, answerA(t, 1, "a.example", "10.0.0.1", "10.0.0.2"), t0)
	assert.Len(t, r.Msgs, 1)
	assert.Equal(t, []string{ReasonTooManyRecords}, r.Reasons())
}

func TestLatencyAndGiveUp(t *testing.T) {
	r := &prototest.Recorder{}
	a := NewDatagramAnalyzer(testFlow, r, nil)
	a.Datagram(app.ClientToServer, query(t, 77, "lis.lab.example.org", layers.DNSTypeA), t0)
	a.Datagram(app.ServerToClient, answerA(t, 77, "lis.lab.example.org", "10.40.1.10"), t0.Add(1500000))
	require.Len(t, r.Msgs, 2)
	assert.Equal(t, "1.5ms", r.Msgs[1].AckLatency.String())
	assert.Equal(t, "77", r.Msgs[1].ControlID)
	for range 20 {
		a.Datagram(app.ClientToServer, []byte("not dns"), t0)
	}
	assert.Len(t, r.Anoms, DefaultConfig().MaxViolations+1)
	assert.True(t, r.Anoms[len(r.Anoms)-1].GaveUp)
}

func TestTCPFraming(t *testing.T) {
	q := query(t, 5, "lis.lab.example.org", layers.DNSTypeA)
	resp := answerA(t, 5, "lis.lab.example.org", "10.40.1.10")
	frame := func(b []byte) []byte { return append([]byte{byte(len(b) >> 8), byte(len(b))}, b...) }
	stream := append(frame(q), frame(q)...)
	for cut := 0; cut <= len(stream); cut++ {
		r := &prototest.Recorder{}
		a := NewAnalyzer(testFlow, r, nil)
		a.Data(app.ClientToServer, stream[:cut], t0)
		a.Data(app.ClientToServer, stream[cut:], t0)
		a.Data(app.ServerToClient, frame(resp), t0)
		a.Expire()
		require.Len(t, r.Msgs, 3, "cut at %d", cut)
		assert.Empty(t, r.Anoms)
	}

	cfg := DefaultConfig()
	cfg.MaxMessageBytes = 20
	r := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, r, &cfg)
	a.Data(app.ClientToServer, append(frame(q), frame(q[:12+5])...), t0)
	a.Data(app.ServerToClient, frame(resp)[:10], t0)
	a.End(app.ServerToClient)
	a.Gap(app.ClientToServer, 10)
	a.Data(app.ClientToServer, frame(q), t0)
	// The first query is over the cap, the second cut inside its question, the
	// response over the cap and then cut by the close.
	assert.Equal(t, []string{ReasonMsgTooLarge, ReasonTruncated, ReasonMsgTooLarge, ReasonTruncated, ReasonGapResync}, r.Reasons())
}

func TestSteadyStateAllocations(t *testing.T) {
	a := NewDatagramAnalyzer(testFlow, &prototest.NullEmitter{}, nil)
	q := query(t, 5, "lis.lab.example.org", layers.DNSTypeA)
	// The qname and ID strings handed to the emitter are the only allocations.
	allocs := testing.AllocsPerRun(100, func() { a.Datagram(app.ClientToServer, q, t0) })
	assert.LessOrEqual(t, allocs, 2.0)
}

func TestProbe(t *testing.T) {
	frame := func(b []byte) []byte { return append([]byte{byte(len(b) >> 8), byte(len(b))}, b...) }
	q := frame(query(t, 5, "lis.lab.example.org", layers.DNSTypeA))
	tests := []struct {
		name string
		data []byte
		want app.ProbeResult
	}{
		{"query", q, app.Match},
		{"query cut in the name", q[:18], app.NeedMore},
		{"response", frame(answerA(t, 5, "a.example", "10.0.0.1")), app.Match},
		{"short", q[:5], app.NeedMore},
		{"HTTP", []byte("GET / HTTP/1.1\r\nHost: example\r\n\r\n"), app.NoMatch},
		{"ZPL", []byte("^XA^FO10,10^FDx^FS^XZ"), app.NoMatch},
		{"HL7", []byte("\x0bMSH|^~\\&|LAB|X|||"), app.NoMatch},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Probe(tc.data), tc.name)
	}
}
