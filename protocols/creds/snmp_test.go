package creds

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// snmpPacket builds an SNMP message: SEQUENCE { INTEGER version, OCTET STRING
// community, [pdu] { request-id, error-status, error-index, varbinds } }.
func snmpPacket(version byte, community string, pdu byte) []byte {
	body := []byte{0x02, 0x01, 0x2a, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x00}
	p := append([]byte{pdu, byte(len(body))}, body...)
	inner := append([]byte{0x02, 0x01, version, 0x04, byte(len(community))}, community...)
	inner = append(inner, p...)
	return append([]byte{0x30, byte(len(inner))}, inner...)
}

func TestSNMP(t *testing.T) {
	// 30 1f | 02 01 01 (v2c) | 04 0d "lab-community" | a0 0b (GetRequest) 02 01 2a …
	get := snmpPacket(1, "lab-community", 0xa0)
	require.Equal(t, "301f020101040d6c61622d636f6d6d756e697479a00b02012a", hex.EncodeToString(get[:25]))
	tests := []struct {
		name    string
		payload []byte
		typ     string
		version string
		def     bool
		creds   bool
		bad     bool
	}{
		{"v2c get", get, "snmp_get", "v2c", false, true, false},
		{"v1 trap public", snmpPacket(0, "public", 0xa4), "snmp_trap", "v1", true, true, false},
		{"v2c set private", snmpPacket(1, "private", 0xa3), "snmp_set", "v2c", true, true, false},
		{"v2c response", snmpPacket(1, "rwcomm", 0xa2), "snmp_response", "v2c", false, true, false},
		{"v3", []byte{0x30, 0x05, 0x02, 0x01, 0x03, 0x30, 0x00}, "snmp_v3", "v3", false, false, false},
		{"long-form length", append([]byte{0x30, 0x81, 0x1f}, get[2:]...), "snmp_get", "v2c", false, true, false},
		{"truncated", get[:20], "", "", false, false, true},
		{"length beyond the datagram", []byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02}, "", "", false, false, true},
		{"version 2", snmpPacket(2, "x", 0xa0), "", "", false, false, true},
		{"not a PDU", snmpPacket(1, "x", 0x30), "", "", false, false, true},
		{"empty", nil, "", "", false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &prototest.Recorder{}
			d := NewDatagramAnalyzer(&app.Flow{Transport: app.UDP}, rec, nil)
			d.Datagram(app.ClientToServer, tt.payload, t0)
			if tt.bad {
				require.Len(t, rec.Anoms, 1)
				assert.Equal(t, ReasonBadPacket, rec.Anoms[0].Reason)
				assert.Empty(t, rec.Msgs)
				return
			}
			require.Len(t, rec.Msgs, 1)
			m := rec.Msgs[0]
			assert.Equal(t, "snmp", m.App)
			assert.Equal(t, tt.typ, m.Type)
			assert.Equal(t, tt.version, m.Attrs[AttrVersion])
			assert.Equal(t, tt.def, m.Attrs[AttrDefault] == "1")
			assert.Equal(t, tt.creds, m.Counts[CountCredentials] == 1)
			assert.Equal(t, tt.creds, m.Attrs[AttrUserHash] != "")
			assert.NotContains(t, fmt.Sprintf("%+v", m), "lab-community")
		})
	}
}

func TestSNMPGivesUp(t *testing.T) {
	rec := &prototest.Recorder{}
	d := NewDatagramAnalyzer(&app.Flow{Transport: app.UDP}, rec, &Config{MaxViolations: 3})
	for i := 0; i < 10; i++ {
		d.Datagram(app.ClientToServer, []byte("not snmp"), t0)
	}
	d.Datagram(app.ClientToServer, snmpPacket(1, "public", 0xa0), t0)
	assert.Equal(t, "bad_packet,bad_packet,bad_packet,gave_up", strings.Join(rec.Reasons(), ","))
	assert.Empty(t, rec.Msgs)
}

func TestProbe(t *testing.T) {
	tests := []struct {
		in   string
		want app.ProbeResult
	}{
		{"", app.NeedMore},
		{"2", app.NeedMore},
		{"220 ProFTPD\r\n", app.Match},
		{"220-multi\r\n", app.Match},
		{"+OK ready", app.Match},
		{"* OK IMAP", app.Match},
		{"* PREAUTH x", app.Match},
		{"\xff\xfd\x18", app.Match},
		{"\xff", app.NeedMore},
		{"\xff\x41", app.NoMatch},
		{"USER x\r\n", app.NoMatch},
		{"GET / HTTP/1.1", app.NoMatch},
		{"221 bye", app.NoMatch},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Probe([]byte(tt.in)), "%q", tt.in)
	}
}

// TestNoSecretsAnywhere plants user names, passwords and patient values in
// every kind of input, malformed included, and checks messages, anomalies and
// errors.
func TestNoSecretsAnywhere(t *testing.T) {
	bad := []step{
		{dir: s2c, data: "+OK\r\n"},
		{dir: c2s, data: "USER labtech\x00s3cret\r\n"},
		{dir: c2s, data: "AUTH PLAIN !!notbase64 s3cret\r\n"},
		{dir: c2s, data: "a1 LOGIN {7}\r\nlabtech s3cret\r\n"},
		{dir: c2s, data: "AUTH XOAUTH2 " + b64("user=labtech\x01auth=Bearer s3cret\x01\x01") + "\r\n"},
		{dir: c2s, data: "AUTH CRAM-MD5\r\n" + b64("jdoe 0123456789abcdef") + "\r\n"},
		{dir: c2s, data: strings.Repeat("DOE^JANE ", 1000) + "\r\n"},
	}
	rec, _ := play(110, bad, nil, nil)
	require.NotEmpty(t, rec.Msgs)
	require.NotEmpty(t, rec.Anoms)
	assertNoPlanted(t, rec)
	_, err := ParseSNMP(snmpPacket(2, "lab-community", 0xa0))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "lab-community")
}
