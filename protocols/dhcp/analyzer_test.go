package dhcp

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

func TestLabExchanges(t *testing.T) {
	want := []struct {
		typ    string
		device string
		attrs  map[string]string
	}{
		{"DISCOVER", "udhcp 1.30.1", map[string]string{"client_mac": "02:4c:57:00:02:0b", "hostname": "XN1000-LAB2",
			"vendor_class": "udhcp 1.30.1", "prl": "1,3,6,12,15,28,42"}},
		{"OFFER", "", map[string]string{"client_mac": "02:4c:57:00:02:0b", "server_id": "10.40.0.1", "assigned_ip": "10.40.2.11"}},
		{"REQUEST", "udhcp 1.30.1", map[string]string{"client_mac": "02:4c:57:00:02:0b", "hostname": "XN1000-LAB2",
			"vendor_class": "udhcp 1.30.1", "prl": "1,3,6,12,15,28,42", "requested_ip": "10.40.2.11", "server_id": "10.40.0.1"}},
		{"ACK", "", map[string]string{"client_mac": "02:4c:57:00:02:0b", "server_id": "10.40.0.1", "assigned_ip": "10.40.2.11"}},
		{"DISCOVER", "Zebra Technologies ZT410", map[string]string{"client_mac": "02:4c:57:00:03:15", "hostname": "ZEBRA-PHLEB1",
			"vendor_class": "Zebra Technologies ZT410", "prl": "1,3,6,12,15,44,51"}},
		{"INFORM", "MSFT 5.0", map[string]string{"client_mac": "02:4c:57:00:04:1f", "hostname": "PHLEB-WS33", "vendor_class": "MSFT 5.0",
			"prl": "1,3,6,15,31,33,43,44,46,47,119,121,249,252", "fqdn": "phleb-ws33.lab"}},
		{"RELEASE", "", map[string]string{"client_mac": "02:4c:57:00:04:1f", "server_id": "10.40.0.1"}},
		{"BOOTREQUEST", "", map[string]string{"client_mac": "02:4c:57:00:02:0b"}},
	}
	ex := labExchanges()
	require.Len(t, ex, len(want))
	for i, e := range ex {
		t.Run(e.note, func(t *testing.T) {
			r := &prototest.Recorder{}
			NewDatagramAnalyzer(testFlow, r, nil).Datagram(e.dir, serialize(t, e.msg), t0)
			require.Len(t, r.Msgs, 1)
			assert.Empty(t, r.Anoms)
			m := r.Msgs[0]
			assert.Equal(t, want[i].typ, m.Type)
			assert.Equal(t, want[i].device, m.Device)
			assert.Equal(t, want[i].attrs, m.Attrs)
			assert.Equal(t, fmt.Sprintf("%x", e.msg.Xid), m.ControlID)
		})
	}
}

// raw builds a BOOTP header with the cookie and the given option bytes.
func raw(options ...byte) []byte {
	b := make([]byte, headerLen, headerLen+4+len(options))
	b[0], b[offHtype], b[offHlen] = 1, 1, 6
	b = append(b, 0x63, 0x82, 0x53, 0x63)
	return append(b, options...)
}

func TestMalformed(t *testing.T) {
	overloaded := raw(53, 1, 1, 52, 1, 1, 255)
	copy(overloaded[offFile:], []byte{12, 4, 'h', 'o', 's', 't', 255})
	tests := []struct {
		name   string
		msg    []byte
		typ    string // "" when nothing is emitted
		reason string
	}{
		{"short", raw()[:100], "", ReasonBadHeader},
		{"bad op", append([]byte{9}, raw()[1:]...), "", ReasonBadHeader},
		{"hlen over 16", append([]byte{1, 1, 17}, raw()[3:]...), "", ReasonBadHeader},
		{"option past end", raw(53, 1, 3, 12, 40, 'x'), "REQUEST", ReasonBadOption},
		{"no END", raw(53, 1, 1), "DISCOVER", ReasonBadOption},
		{"length byte missing", raw(53, 1, 1, 12), "DISCOVER", ReasonBadOption},
		{"overload into file", overloaded, "DISCOVER", ""},
		{"unknown type", raw(53, 1, 200, 255), "TYPE200", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &prototest.Recorder{}
			NewDatagramAnalyzer(testFlow, r, nil).Datagram(app.ClientToServer, tc.msg, t0)
			if tc.typ == "" {
				assert.Empty(t, r.Msgs)
			} else {
				require.Len(t, r.Msgs, 1)
				assert.Equal(t, tc.typ, r.Msgs[0].Type)
			}
			if tc.reason == "" {
				assert.Empty(t, r.Anoms)
			} else {
				assert.Equal(t, []string{tc.reason}, r.Reasons())
			}
		})
	}
	r := &prototest.Recorder{}
	NewDatagramAnalyzer(testFlow, r, nil).Datagram(app.ClientToServer, overloaded, t0)
	assert.Equal(t, "host", r.Msgs[0].Attrs["hostname"])
}

func TestCaps(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxOptions, cfg.MaxStringBytes = 2, 4
	r := &prototest.Recorder{}
	NewDatagramAnalyzer(testFlow, r, &cfg).Datagram(app.ClientToServer,
		raw(53, 1, 1, 12, 8, 'a', 'b', 'c', 0x01, 'e', 'f', 'g', 'h', 60, 1, 'v', 255), t0)
	require.Len(t, r.Msgs, 1)
	assert.Equal(t, "abc?", r.Msgs[0].Attrs["hostname"])
	assert.Equal(t, []string{ReasonTooManyOptions}, r.Reasons())

	r = &prototest.Recorder{}
	a := NewDatagramAnalyzer(testFlow, r, nil)
	for range 20 {
		a.Datagram(app.ClientToServer, []byte("junk"), t0)
	}
	assert.Len(t, r.Anoms, DefaultConfig().MaxViolations+1)
	assert.True(t, r.Anoms[len(r.Anoms)-1].GaveUp)
}

// TestAnomaliesCarryNoValues plants values in broken messages and checks the
// anomalies never repeat them.
func TestAnomaliesCarryNoValues(t *testing.T) {
	leak := []byte("TESTPATIENT^LEAK")
	r := &prototest.Recorder{}
	a := NewDatagramAnalyzer(testFlow, r, nil)
	a.Datagram(app.ClientToServer, append(raw(53, 1, 1, 12, 200), leak...), t0)
	a.Datagram(app.ClientToServer, append(append([]byte{7}, raw()[1:]...), leak...), t0)
	require.Len(t, r.Anoms, 2)
	for _, an := range r.Anoms {
		assert.False(t, bytes.Contains([]byte(fmt.Sprintf("%+v", an)), leak))
	}
}

func TestAllocations(t *testing.T) {
	a := NewDatagramAnalyzer(testFlow, &prototest.NullEmitter{}, nil)
	msg := serialize(t, labExchanges()[0].msg)
	// The strings handed to the emitter: ID, MAC, host name, vendor class, PRL.
	allocs := testing.AllocsPerRun(100, func() { a.Datagram(app.ClientToServer, msg, t0) })
	assert.LessOrEqual(t, allocs, 5.0)
}

func TestTypeNames(t *testing.T) {
	for i := 1; i <= 18; i++ {
		s := Summary{MsgType: uint8(i)}
		assert.NotContains(t, TypeName(&s), "TYPE", i)
		assert.Equal(t, strings.ToUpper(TypeName(&s)), TypeName(&s))
	}
}
