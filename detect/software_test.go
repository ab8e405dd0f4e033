package detect_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// shortEngine learns for an hour and collects alerts.
func shortEngine(c *collector) *detect.Engine {
	cfg := scenarioConfig()
	cfg.Learn = time.Hour
	return detect.NewEngine(cfg, c.sink)
}

func flowOf(client, server string, start time.Time) *app.Flow {
	return &app.Flow{Transport: app.TCP, Client: mustAP(client), Server: mustAP(server), Start: start}
}

// ofType returns the alerts of one type.
func ofType(c *collector, typ string) []*detect.Alert {
	var out []*detect.Alert
	for _, a := range c.alerts {
		if a.Type == typ {
			out = append(out, a)
		}
	}
	return out
}

// softwareMsg is a message revealing software, sent by the flow's client
// unless dir says otherwise.
type softwareMsg struct {
	app, typ, device, software, sender string
	dir                                app.Direction
	attrs                              map[string]string
}

func (s softwareMsg) message(f *app.Flow, ts time.Time) *app.Message {
	return &app.Message{App: s.app, Type: s.typ, Flow: f, Dir: s.dir, TS: ts, Device: s.device,
		Software: s.software, Sender: s.sender, Attrs: s.attrs}
}

func TestVersionChange(t *testing.T) {
	tests := []struct {
		name       string
		server     string
		before     softwareMsg
		after      softwareMsg
		wantChange string // "" for no alert
		severity   detect.Severity
	}{
		{"astm firmware update", "10.40.1.10:5000",
			softwareMsg{app: "astm", typ: "result", device: "cobas 6000", software: "2.1.3"},
			softwareMsg{app: "astm", typ: "result", device: "cobas 6000", software: "2.2.0"}, "update", detect.SeverityLow},
		{"astm rollback", "10.40.1.10:5000",
			softwareMsg{app: "astm", typ: "result", device: "cobas 6000", software: "2.2.0"},
			softwareMsg{app: "astm", typ: "result", device: "cobas 6000", software: "2.1.9"}, "rollback", detect.SeverityMedium},
		{"another analyzer model behind a middleware", "10.40.1.10:5000",
			softwareMsg{app: "astm", typ: "result", device: "cobas 6000", software: "2.1.3"},
			softwareMsg{app: "astm", typ: "result", device: "Sysmex XN", software: "00-22"}, "", ""},
		{"hl7 SFT per sending application", "10.40.1.10:2575",
			softwareMsg{app: "hl7", typ: "ORU^R01", sender: "LAB^HOSP", software: "Middleware 5.1"},
			softwareMsg{app: "hl7", typ: "ORU^R01", sender: "LAB^OTHER", software: "Middleware 5.2"}, "update", detect.SeverityLow},
		{"telnet banner replaced", "10.40.2.11:23",
			softwareMsg{app: "telnet", typ: "banner", software: "BusyBox v1.31.1", dir: app.ServerToClient},
			softwareMsg{app: "telnet", typ: "banner", software: "Windows CE Telnet Service", dir: app.ServerToClient}, "replaced", detect.SeverityMedium},
		{"http server update", "10.40.2.11:80",
			softwareMsg{app: "http", typ: "response", software: "nginx/1.18.0", dir: app.ServerToClient},
			softwareMsg{app: "http", typ: "response", software: "nginx/1.24.0", dir: app.ServerToClient}, "update", detect.SeverityLow},
		{"a second http client is no change", "10.40.1.10:80",
			softwareMsg{app: "http", typ: "GET", software: "curl/7.68.0"},
			softwareMsg{app: "http", typ: "GET", software: "Wget/1.21"}, "", ""},
		{"the same http client updated", "10.40.1.10:80",
			softwareMsg{app: "http", typ: "GET", software: "curl/7.68.0"},
			softwareMsg{app: "http", typ: "GET", software: "curl/8.5.0"}, "update", detect.SeverityLow},
		{"tls versions are a set", "10.40.1.10:443",
			softwareMsg{app: "tls", typ: "client_hello", attrs: map[string]string{"version": "tls1.3"}},
			softwareMsg{app: "tls", typ: "client_hello", attrs: map[string]string{"version": "tls1.2"}}, "", ""},
		{"dicom implementation", "10.40.1.10:104",
			softwareMsg{app: "dicom", typ: "A-ASSOCIATE-RQ", software: "OFFIS_DCMTK_364", attrs: map[string]string{"implementation_uid": "1.2.276.0.7230010.3.0.3.6.4"}},
			softwareMsg{app: "dicom", typ: "A-ASSOCIATE-RQ", software: "OFFIS_DCMTK_367", attrs: map[string]string{"implementation_uid": "1.2.276.0.7230010.3.0.3.6.7"}}, "update", detect.SeverityLow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c collector
			e := shortEngine(&c)
			f := flowOf("10.40.2.11:40000", tt.server, t0)
			if tt.before.dir == app.ServerToClient {
				f = flowOf("10.40.1.10:40000", tt.server, t0)
			}
			e.FlowStart(f)
			for i := range 5 {
				e.Message(tt.before.message(f, t0.Add(time.Duration(i)*time.Minute)))
			}
			// Still learning: a change is learned silently.
			e.Message(tt.before.message(f, t0.Add(10*time.Minute)))
			e.Tick(t0.Add(2 * time.Hour))
			e.Message(tt.after.message(f, t0.Add(2*time.Hour+time.Minute)))
			got := ofType(&c, detect.AlertVersionChange)
			if tt.wantChange == "" {
				assert.Empty(t, got)
				return
			}
			require.NotEmpty(t, got)
			a := got[0]
			assert.Equal(t, tt.wantChange, a.Details["change"])
			assert.Equal(t, tt.severity, a.Severity)
			assert.Equal(t, "10.40.2.11", a.Device)
			assert.Contains(t, a.Summary, "→")
		})
	}
}

// TestVersionChangeAcrossRestart: identities are saved with the baseline, so
// a device that comes back with new firmware after a restart is reported, and
// an unchanged one is not.
func TestVersionChangeAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.lwb")
	var c1 collector
	e := shortEngine(&c1)
	f := flowOf("10.40.2.11:40000", "10.40.1.10:5000", t0)
	g := flowOf("10.40.2.12:40000", "10.40.1.10:5000", t0)
	e.FlowStart(f)
	e.FlowStart(g)
	for i := range 90 {
		ts := t0.Add(time.Duration(i) * time.Minute)
		e.Message(&app.Message{App: "astm", Type: "result", Flow: f, TS: ts, Device: "cobas 6000", Software: "2.1.3"})
		e.Message(&app.Message{App: "astm", Type: "result", Flow: g, TS: ts, Device: "XN-1000", Software: "00-22"})
	}
	require.NoError(t, e.SaveBaseline(path))
	bf, err := detect.ReadBaseline(path)
	require.NoError(t, err)
	var sw []string
	for _, d := range bf.Devices {
		for _, s := range d.Software {
			sw = append(sw, fmt.Sprintf("%s %s %s %s %s", d.IP, s.App, s.Kind, s.Context, s.Value))
		}
	}
	assert.Equal(t, []string{"10.40.2.11 astm software cobas 6000 2.1.3", "10.40.2.12 astm software XN-1000 00-22"}, sw)

	var c2 collector
	e2 := shortEngine(&c2)
	require.NoError(t, e2.LoadBaseline(path))
	later := t0.Add(3 * time.Hour)
	f2 := flowOf("10.40.2.11:40001", "10.40.1.10:5000", later)
	g2 := flowOf("10.40.2.12:40001", "10.40.1.10:5000", later)
	e2.FlowStart(f2)
	e2.FlowStart(g2)
	e2.Message(&app.Message{App: "astm", Type: "result", Flow: f2, TS: later, Device: "cobas 6000", Software: "2.2.0"})
	e2.Message(&app.Message{App: "astm", Type: "result", Flow: g2, TS: later, Device: "XN-1000", Software: "00-22"})
	got := ofType(&c2, detect.AlertVersionChange)
	require.Len(t, got, 1)
	assert.Equal(t, "10.40.2.11", got[0].Device)
	assert.Equal(t, `10.40.2.11 astm software (cobas 6000) changed: "2.1.3" → "2.2.0" (an update)`, got[0].Summary)
	assert.Equal(t, "2.1.3", got[0].Details["expected"])
	assert.Equal(t, "2.2.0", got[0].Details["seen"])

	// The snapshot's inventory shows the identities too.
	var found bool
	for _, d := range e2.Snapshot().Devices {
		if d.IP == "10.40.2.11" {
			require.NotEmpty(t, d.Software)
			assert.Equal(t, "2.2.0", d.Software[0].Value)
			found = true
		}
	}
	assert.True(t, found)
}

// TestVersionFlapIsOneAlert: a slot that alternates (two instruments behind
// one address reporting the same model) is one alert with a count, not one
// per message.
func TestVersionFlapIsOneAlert(t *testing.T) {
	var c collector
	e := shortEngine(&c)
	f := flowOf("10.40.2.11:40000", "10.40.1.10:5000", t0)
	e.FlowStart(f)
	e.Message(&app.Message{App: "astm", Type: "result", Flow: f, TS: t0, Device: "XN", Software: "1.0"})
	e.Tick(t0.Add(2 * time.Hour))
	for i := range 20 {
		e.Message(&app.Message{App: "astm", Type: "result", Flow: f, TS: t0.Add(2*time.Hour + time.Duration(i)*time.Second),
			Device: "XN", Software: []string{"1.1", "1.0"}[i%2]})
	}
	e.Close()
	got := ofType(&c, detect.AlertVersionChange)
	require.Len(t, got, 2, "the first, then the repeats when the dedup window closes")
	assert.Equal(t, 19, got[1].Count-1)
}

func TestSoftwareCap(t *testing.T) {
	var c collector
	cfg := scenarioConfig()
	cfg.MaxIdentities = 3
	e := detect.NewEngine(cfg, c.sink)
	f := flowOf("10.40.2.11:40000", "10.40.1.10:443", t0)
	e.FlowStart(f)
	for i := range 10 {
		e.Message(&app.Message{App: "tls", Type: "client_hello", Flow: f, TS: t0,
			Attrs: map[string]string{"cipher": fmt.Sprintf("TLS_CIPHER_%d", i)}})
	}
	s := e.Snapshot()
	assert.Equal(t, uint64(7), s.Dropped["software_over_cap"])
	for _, d := range s.Devices {
		if d.IP == "10.40.2.11" {
			assert.Len(t, d.Software, 3)
		}
	}
}

func TestSoftwareRejectsNonPrintable(t *testing.T) {
	var c collector
	e := shortEngine(&c)
	f := flowOf("10.40.2.11:40000", "10.40.1.10:5000", t0)
	e.FlowStart(f)
	e.Message(&app.Message{App: "astm", Type: "result", Flow: f, TS: t0, Software: "1.0\x00\x01"})
	e.Message(&app.Message{App: "astm", Type: "result", Flow: f, TS: t0, Software: strings.Repeat("9", 500)})
	for _, d := range e.Snapshot().Devices {
		for _, s := range d.Software {
			assert.LessOrEqual(t, len(s.Value), 64)
			assert.NotContains(t, s.Value, "\x00")
		}
	}
}
