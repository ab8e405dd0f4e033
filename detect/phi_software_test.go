package detect_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
)

// TestNoPatientValueInSoftwareOrInsecure plants fictional patient values in
// the fields next to those the software and insecure-protocol detectors read
// (control ids, PHI field lists, unknown attributes, attribute values outside
// the fixed sets) and checks that none reaches an alert, the baseline, its
// text or the snapshot.
func TestNoPatientValueInSoftwareOrInsecure(t *testing.T) {
	planted := []string{"TESTPATIENT^ALPHA", "MRN-7734001", "19700101", "123-45-6789", "ACC-55501", "12 ELM STREET", "555-0142"}
	var c collector
	e := shortEngine(&c)
	apps := []struct {
		app, typ, server string
		dir              app.Direction
		encrypted        bool
	}{
		{"telnet", "login", "10.40.2.11:23", app.ClientToServer, false},
		{"ftp", "login", "10.40.2.11:21", app.ClientToServer, false},
		{"snmp", "snmp_get", "10.40.3.21:161", app.ClientToServer, false},
		{"tls", "client_hello", "10.40.1.10:443", app.ClientToServer, true},
		{"hl7", "ORU^R01", "198.51.100.23:2575", app.ClientToServer, false},
		{"astm", "result", "10.40.1.10:5000", app.ClientToServer, false},
		{"http", "response", "10.40.1.10:80", app.ServerToClient, false},
	}
	for round, ts := range []time.Time{t0, t0.Add(3 * time.Hour)} { // learning, then judged
		for i, a := range apps {
			f := flowOf(fmt.Sprintf("10.40.4.31:%d", 40000+i), a.server, ts)
			f.Encrypted = a.encrypted
			e.FlowStart(f)
			for j, v := range planted {
				attrs := map[string]string{"patient": v, "insecure": v, "version": "v2c", "user_hash": v}
				if round == 1 {
					attrs["version"] = v
				}
				e.Message(&app.Message{App: a.app, Type: a.typ, Flow: f, Dir: a.dir, TS: ts.Add(time.Duration(j) * time.Second),
					ControlID: v, PHI: app.PHISet(app.PHIName), PHIFields: []string{"PID-5", v}, Attrs: attrs,
					Software: fmt.Sprintf("fw %d.%d", round, i), Device: "model X"})
			}
		}
	}
	e.Close()
	require.NotEmpty(t, ofType(&c, detect.AlertInsecureProtocol))
	require.NotEmpty(t, ofType(&c, detect.AlertVersionChange))

	assertNoLeak(t, e, c.alerts, planted)
}
