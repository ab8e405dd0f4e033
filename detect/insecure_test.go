package detect_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
)

func TestInsecureProtocol(t *testing.T) {
	tests := []struct {
		name      string
		client    string
		server    string
		msg       app.Message
		encrypted bool
		device    string // "" for no alert
		protocol  string
		severity  detect.Severity
	}{
		{"telnet server", "10.40.4.31:40000", "10.40.2.11:23",
			app.Message{App: "telnet", Type: "banner", Dir: app.ServerToClient}, false, "10.40.2.11", "telnet", detect.SeverityMedium},
		{"telnet to the outside: the client", "10.40.4.31:40000", "198.51.100.9:23",
			app.Message{App: "telnet", Type: "login"}, false, "10.40.4.31", "telnet", detect.SeverityHigh},
		{"ftp login", "10.40.4.31:40000", "10.40.1.10:21",
			app.Message{App: "ftp", Type: "login"}, false, "10.40.1.10", "ftp", detect.SeverityMedium},
		{"ftp banner alone (AUTH TLS may follow)", "10.40.4.31:40000", "10.40.1.10:21",
			app.Message{App: "ftp", Type: "banner", Dir: app.ServerToClient}, false, "", "", ""},
		{"snmp v2c agent", "10.40.0.5:40000", "10.40.3.21:161",
			app.Message{App: "snmp", Type: "snmp_get", Attrs: map[string]string{"version": "v2c"}}, false, "10.40.3.21", "snmp_v2c", detect.SeverityMedium},
		{"snmp v1 trap: the agent is the client", "10.40.3.21:40000", "10.40.0.5:162",
			app.Message{App: "snmp", Type: "snmp_trap", Attrs: map[string]string{"version": "v1"}}, false, "10.40.3.21", "snmp_v1", detect.SeverityMedium},
		{"ssh server offering protocol 1", "10.40.4.31:40000", "10.40.2.11:22",
			app.Message{App: "ssh", Type: "banner", Dir: app.ServerToClient, Software: "Cisco-1.25", Attrs: map[string]string{"proto": "1.99", "insecure": "ssh1"}}, false, "10.40.2.11", "ssh1", detect.SeverityMedium},
		{"smb server answering in SMBv1", "10.40.4.31:40000", "10.40.1.10:445",
			app.Message{App: "smb", Type: "SMB1", Dir: app.ServerToClient, Attrs: map[string]string{"dialect": "SMB1"}}, false, "10.40.1.10", "smb1", detect.SeverityMedium},
		{"smb client offering SMB1 only in its negotiate", "10.40.4.31:40000", "10.40.1.10:445",
			app.Message{App: "smb", Type: "SMB1", Dir: app.ClientToServer, Attrs: map[string]string{"dialect": "SMB1"}}, false, "", "", ""},
		{"ssh 2.0 is fine", "10.40.4.31:40000", "10.40.2.11:22",
			app.Message{App: "ssh", Type: "banner", Dir: app.ServerToClient, Attrs: map[string]string{"proto": "2.0"}}, false, "", "", ""},
		{"snmp v3 is fine", "10.40.0.5:40000", "10.40.3.21:161",
			app.Message{App: "snmp", Type: "snmp_v3", Attrs: map[string]string{"version": "v3"}}, false, "", "", ""},
		{"tls 1.0 offered", "10.40.4.31:40000", "10.40.1.10:443",
			app.Message{App: "tls", Type: "client_hello", Attrs: map[string]string{"version": "tls1.0", "insecure": "tls1.0"}}, true, "10.40.4.31", "tls1.0", detect.SeverityMedium},
		{"ssl3 chosen by an outside server", "10.40.4.31:40000", "198.51.100.9:443",
			app.Message{App: "tls", Type: "server_hello", Dir: app.ServerToClient, Attrs: map[string]string{"insecure": "ssl3"}}, true, "10.40.4.31", "ssl3", detect.SeverityHigh},
		{"tls 1.3", "10.40.4.31:40000", "10.40.1.10:443",
			app.Message{App: "tls", Type: "client_hello", Attrs: map[string]string{"version": "tls1.3"}}, true, "", "", ""},
		{"hl7 leaving the trusted networks", "10.40.1.10:40000", "198.51.100.23:2575",
			app.Message{App: "hl7", Type: "ORM^O01"}, false, "10.40.1.10", "hl7_cleartext", detect.SeverityHigh},
		{"hl7 answer from outside: still the inside device", "10.40.1.10:40000", "198.51.100.23:2575",
			app.Message{App: "hl7", Type: "ACK", Dir: app.ServerToClient, Ack: "AA"}, false, "10.40.1.10", "hl7_cleartext", detect.SeverityHigh},
		{"hl7 over TLS to the outside", "10.40.1.10:40000", "198.51.100.23:2575",
			app.Message{App: "hl7", Type: "ORM^O01"}, true, "", "", ""},
		{"hl7 inside", "10.40.1.10:40000", "10.40.1.20:2575",
			app.Message{App: "hl7", Type: "ORM^O01"}, false, "", "", ""},
		{"dicom to the outside", "10.40.1.10:40000", "198.51.100.23:104",
			app.Message{App: "dicom", Type: "A-ASSOCIATE-RQ"}, false, "10.40.1.10", "dicom_cleartext", detect.SeverityHigh},
		{"unknown insecure value is not echoed", "10.40.4.31:40000", "10.40.1.10:443",
			app.Message{App: "tls", Type: "client_hello", Attrs: map[string]string{"insecure": "whatever"}}, true, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c collector
			e := shortEngine(&c)
			f := flowOf(tt.client, tt.server, t0)
			f.Encrypted = tt.encrypted
			e.FlowStart(f)
			for i := range 3 {
				m := tt.msg
				m.Flow, m.TS = f, t0.Add(time.Duration(i)*time.Second)
				e.Message(&m)
			}
			got := ofType(&c, detect.AlertInsecureProtocol)
			if tt.device == "" {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1, "once per device and protocol")
			a := got[0]
			assert.Equal(t, tt.device, a.Device)
			assert.Equal(t, tt.protocol, a.Details["protocol"])
			assert.Equal(t, tt.severity, a.Severity)
			assert.NotEmpty(t, a.Summary)
		})
	}
}

// TestInsecureProtocolOncePerBaseline: a reported protocol is saved with the
// baseline, so a restart does not report it again; another device is new.
func TestInsecureProtocolOncePerBaseline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.lwb")
	telnet := func(e *detect.Engine, server string, ts time.Time) {
		f := flowOf("10.40.4.31:40000", server, ts)
		e.FlowStart(f)
		e.Message(&app.Message{App: "telnet", Type: "banner", Dir: app.ServerToClient, Flow: f, TS: ts})
	}
	var c1 collector
	e := shortEngine(&c1)
	telnet(e, "10.40.2.11:23", t0)
	require.NoError(t, e.SaveBaseline(path))
	bf, err := detect.ReadBaseline(path)
	require.NoError(t, err)
	require.Len(t, bf.Insecure, 1)
	assert.Equal(t, detect.InsecureBaseline{Device: "10.40.2.11", Protocol: "telnet", First: t0, Last: t0, Count: 1}, bf.Insecure[0])

	var c2 collector
	e2 := shortEngine(&c2)
	require.NoError(t, e2.LoadBaseline(path))
	telnet(e2, "10.40.2.11:23", t0.Add(time.Hour))
	telnet(e2, "10.40.2.12:23", t0.Add(time.Hour))
	got := ofType(&c2, detect.AlertInsecureProtocol)
	require.Len(t, got, 1)
	assert.Equal(t, "10.40.2.12", got[0].Device)
}

func TestInsecureProtocolCap(t *testing.T) {
	var c collector
	cfg := scenarioConfig()
	cfg.MaxPaths = 2
	e := detect.NewEngine(cfg, c.sink)
	for i, server := range []string{"10.40.2.11:23", "10.40.2.12:23", "10.40.2.13:23"} {
		f := flowOf("10.40.4.31:40000", server, t0.Add(time.Duration(i)*time.Second))
		e.FlowStart(f)
		e.Message(&app.Message{App: "telnet", Type: "banner", Dir: app.ServerToClient, Flow: f, TS: f.Start})
	}
	assert.Len(t, ofType(&c, detect.AlertInsecureProtocol), 2)
	assert.Equal(t, uint64(1), e.Snapshot().Dropped["insecure_over_cap"])
}
