package detect_test

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
)

// world is a small lab learned for three weekdays: analyzer A sends 20 HL7
// results an hour to engine E from 08:00 to 17:59 on one connection an hour;
// workstation W browses web server S over TLS in the same hours.
type world struct {
	t      *testing.T
	e      *detect.Engine
	c      collector
	judged time.Time // Thursday 00:00, after learning
	port   uint16
}

var (
	addrA = netip.MustParseAddr("10.1.0.5")
	addrE = netip.MustParseAddr("10.1.0.1")
	addrW = netip.MustParseAddr("10.1.0.9")
	addrS = netip.MustParseAddr("10.1.0.2")
)

func newWorld(t *testing.T) *world {
	cfg := detect.DefaultConfig()
	cfg.Sensor = "t"
	cfg.Learn = 72 * time.Hour
	cfg.Devices = []detect.DeviceConfig{{Match: detect.MustPrefix("10.1.0.5"), Name: "A", Role: "analyzer"}}
	w := &world{t: t, port: 50000}
	w.e = detect.NewEngine(cfg, w.c.sink)
	monday := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	w.judged = monday.Add(72 * time.Hour)
	for h := 0; h < 72; h++ {
		ts := monday.Add(time.Duration(h) * time.Hour)
		// Midnight keep-alive so the sensor observes every hour.
		w.flow(addrE, addrS, 123, app.UDP, ts, 1, false)
		if hr := ts.Hour(); hr >= 8 && hr <= 17 {
			w.results(addrA, addrE, 2575, ts.Add(time.Minute), 20, "ORU^R01", "A^LAB", false)
			f := w.flow(addrW, addrS, 443, app.TCP, ts.Add(2*time.Minute), 5, false)
			f.Encrypted = true
		}
	}
	w.e.Tick(w.judged)
	require.True(t, !w.e.Snapshot().Learning)
	return w
}

func ap(a netip.Addr, p uint16) netip.AddrPort { return netip.AddrPortFrom(a, p) }

// flow adds a flow whose server answered with the given packets.
func (w *world) flow(c, s netip.Addr, port uint16, t app.Transport, ts time.Time, answer uint64, _ bool) *app.Flow {
	w.port++
	f := &app.Flow{Transport: t, Client: ap(c, w.port), Server: ap(s, port), Start: ts}
	w.e.FlowStart(f)
	w.e.FlowEnd(&detect.FlowRecord{Flow: f, Last: ts.Add(time.Second), Packets: [2]uint64{4, answer}, Bytes: [2]uint64{400, 60 * answer}})
	return f
}

// results sends n HL7 messages on one connection, one a minute.
func (w *world) results(c, s netip.Addr, port uint16, ts time.Time, n int, typ, sender string, encrypted bool) *app.Flow {
	w.port++
	f := &app.Flow{Transport: app.TCP, Client: ap(c, w.port), Server: ap(s, port), Start: ts, Encrypted: encrypted}
	w.e.FlowStart(f)
	for i := 0; i < n; i++ {
		at := ts.Add(time.Duration(i) * time.Minute * 50 / time.Duration(max(n, 1)))
		w.e.Message(&app.Message{App: "hl7", Type: typ, Sender: sender, Flow: f, TS: at, Bytes: 1500,
			PHI: app.PHISet(app.PHIName | app.PHIPatientID), PHIFields: []string{"PID-3", "PID-5"}})
		w.e.Message(&app.Message{App: "hl7", Type: "ACK", Sender: "E^LAB", Ack: "AA", Flow: f, Dir: app.ServerToClient, TS: at.Add(time.Second)})
	}
	w.e.FlowEnd(&detect.FlowRecord{Flow: f, Last: ts.Add(55 * time.Minute), Packets: [2]uint64{uint64(2 * n), uint64(n + 2)}, Bytes: [2]uint64{uint64(1500 * n), uint64(100 * n)}})
	return f
}

// normalDay replays the usual Thursday traffic from 08:00 up to (not including) hour until.
func (w *world) normalDay(until int, skipA bool) {
	for h := 0; h < until; h++ {
		ts := w.judged.Add(time.Duration(h) * time.Hour)
		w.flow(addrE, addrS, 123, app.UDP, ts, 1, false)
		if h >= 8 && h <= 17 {
			if !skipA {
				w.results(addrA, addrE, 2575, ts.Add(time.Minute), 20, "ORU^R01", "A^LAB", false)
			}
			f := w.flow(addrW, addrS, 443, app.TCP, ts.Add(2*time.Minute), 5, false)
			f.Encrypted = true
		}
	}
}

// judgedAlerts returns the types of alerts raised after learning, sorted.
func (w *world) judgedAlerts() []string {
	var out []string
	for _, a := range w.c.alerts {
		if !a.TS.Before(w.judged) {
			out = append(out, a.Type)
		}
	}
	sort.Strings(out)
	return out
}

func (w *world) at(h, m int) time.Time {
	return w.judged.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

func TestDetectors(t *testing.T) {
	cases := []struct {
		name string
		do   func(w *world)
		want []string
	}{
		{"normal day is quiet", func(w *world) { w.normalDay(24, false) }, nil},
		{"new device", func(w *world) { w.flow(netip.MustParseAddr("10.1.0.77"), addrE, 2575, app.TCP, w.at(10, 0), 3, false) },
			[]string{"new_device"}},
		{"outside client is a peer, not a device", func(w *world) {
			w.flow(netip.MustParseAddr("198.51.100.4"), addrE, 2575, app.TCP, w.at(10, 0), 3, false)
		}, []string{"new_peer"}},
		{"new peer on a known service (it answers: a new device too)", func(w *world) {
			w.flow(addrA, netip.MustParseAddr("10.1.0.3"), 2575, app.TCP, w.at(10, 0), 3, false)
		}, []string{"new_device", "new_peer"}},
		{"fresh ephemeral port and reconnects are not news", func(w *world) {
			for i := 0; i < 20; i++ {
				w.flow(addrA, addrE, 2575, app.TCP, w.at(10, 0).Add(time.Duration(i)*time.Second), 3, false)
			}
		}, nil},
		{"new service used and offered", func(w *world) { w.flow(addrA, addrE, 22, app.TCP, w.at(10, 0), 3, false) },
			[]string{"new_service", "new_service"}},
		{"new service offered", func(w *world) { w.flow(addrW, addrA, 80, app.TCP, w.at(10, 0), 3, false) },
			[]string{"new_service", "new_service"}},
		{"unanswered probe offers nothing", func(w *world) { w.flow(addrW, addrA, 80, app.TCP, w.at(10, 0), 1, false) },
			[]string{"new_service"}},
		{"volume spike", func(w *world) {
			w.normalDay(10, false)
			w.results(addrA, addrE, 2575, w.at(10, 1), 300, "ORU^R01", "A^LAB", false)
			w.normalDay(12, true)
		}, []string{"volume_anomaly", "volume_anomaly"}}, // the engine's acknowledgements spike too
		{"Poisson noise is not a spike", func(w *world) {
			w.normalDay(10, false)
			w.results(addrA, addrE, 2575, w.at(10, 1), 32, "ORU^R01", "A^LAB", false)
			w.e.Tick(w.at(11, 0))
		}, nil},
		// Three silent hours of A (and of E's acknowledgements): one alert each,
		// and one repeat summary each.
		{"silence", func(w *world) { w.normalDay(12, true) }, []string{"volume_anomaly", "volume_anomaly", "volume_anomaly", "volume_anomaly"}},
		{"unusual time", func(w *world) { w.results(addrA, addrE, 2575, w.at(3, 0), 2, "ORU^R01", "A^LAB", false) },
			[]string{"unusual_time"}},
		{"new message type", func(w *world) { w.results(addrA, addrE, 2575, w.at(10, 0), 1, "ADT^A01", "A^LAB", false) },
			[]string{"new_message_type"}},
		{"new sending application", func(w *world) { w.results(addrA, addrE, 2575, w.at(10, 0), 1, "ORU^R01", "B^LAB", false) },
			[]string{"new_message_type"}},
		{"known clear-text PHI path is not repeated", func(w *world) { w.results(addrA, addrE, 2575, w.at(10, 0), 3, "ORU^R01", "A^LAB", false) }, nil},
		{"PHI on a new path", func(w *world) {
			w.results(addrA, netip.MustParseAddr("10.1.0.3"), 2575, w.at(10, 0), 3, "ORU^R01", "A^LAB", false)
		}, []string{"cleartext_phi", "new_device", "new_peer"}},
		{"PHI over TLS is not clear text", func(w *world) {
			w.results(addrA, netip.MustParseAddr("10.1.0.3"), 2575, w.at(10, 0), 3, "ORU^R01", "A^LAB", true)
		}, []string{"new_device", "new_peer"}},
		{"protocol glitch", func(w *world) { w.anomalies(5, time.Minute) }, nil},
		{"protocol storm", func(w *world) { w.anomalies(30, 10*time.Second) }, []string{"protocol_anomaly", "protocol_anomaly"}},
		{"spread errors", func(w *world) {
			f := &app.Flow{Transport: app.TCP, Client: ap(addrA, 40000), Server: ap(addrE, 2575), Start: w.at(10, 0)}
			for h := 10; h < 14; h++ {
				w.results(addrA, addrE, 2575, w.at(h, 1), 20, "ORU^R01", "A^LAB", false)
				for _, m := range []int{52, 54, 56} {
					w.e.Anomaly(&app.Anomaly{App: "astm", Reason: "bad_checksum", Flow: f, TS: w.at(h, m)})
				}
			}
		}, nil},
		{"negative acks", func(w *world) {
			f := w.flow(addrA, addrE, 2575, app.TCP, w.at(10, 0), 3, false)
			for i := 0; i < 12; i++ {
				w.e.Message(&app.Message{App: "hl7", Type: "ACK", Ack: "AR", Flow: f, Dir: app.ServerToClient, TS: w.at(10, i)})
			}
		}, []string{"protocol_anomaly", "protocol_anomaly"}},
		{"clear-text credentials once per path", func(w *world) {
			for i := 0; i < 3; i++ {
				f := w.flow(addrW, addrS, 443, app.TCP, w.at(10, i), 3, false)
				w.e.Message(&app.Message{App: "http", Type: "GET", Flow: f, TS: w.at(10, i), Counts: map[string]int{"credentials": 1},
					Attrs: map[string]string{"user_hash": app.KeyedHash("u"), "auth": "basic"}})
			}
		}, []string{"cleartext_credentials", "new_message_type"}},
		{"scan", func(w *world) {
			for i := 0; i < 30; i++ {
				w.flow(addrW, netip.AddrFrom4([4]byte{10, 1, 2, byte(i)}), 445, app.TCP, w.at(10, 0).Add(time.Duration(i)*time.Second), 0, false)
			}
		}, []string{"new_peer", "new_peer", "new_service", "scan"}}, // new peers until the scan is recognised
		{"slow contacts are not a scan", func(w *world) {
			for i := 0; i < 30; i++ {
				w.flow(addrW, netip.AddrFrom4([4]byte{10, 1, 2, byte(i)}), 443, app.TCP, w.at(8, 0).Add(time.Duration(i)*2*time.Minute), 0, false)
			}
		}, []string{"new_peer", "new_peer"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tc.do(w)
			w.e.Close()
			got := w.judgedAlerts()
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if !assert.Equal(t, want, got, "%q", got) {
				for _, a := range w.c.alerts {
					if !a.TS.Before(w.judged) {
						t.Log(a.Type, a.Device, a.Summary)
					}
				}
			}
		})
	}
}

// anomalies reports n ASTM checksum errors from A, every gap.
func (w *world) anomalies(n int, gap time.Duration) {
	f := &app.Flow{Transport: app.TCP, Client: ap(addrA, 40000), Server: ap(addrE, 2575), Start: w.at(10, 0)}
	for i := 0; i < n; i++ {
		w.e.Anomaly(&app.Anomaly{App: "astm", Reason: "bad_checksum", Flow: f, TS: w.at(10, 0).Add(time.Duration(i) * gap)})
	}
}

// TestSeverity: the analyzer's role and an outside peer raise severity.
func TestSeverity(t *testing.T) {
	w := newWorld(t)
	w.flow(addrA, netip.MustParseAddr("203.0.113.9"), 2575, app.TCP, w.at(10, 0), 3, false)
	w.flow(addrW, netip.MustParseAddr("10.1.0.3"), 443, app.TCP, w.at(10, 0), 3, false)
	got := map[string]detect.Severity{}
	for _, a := range w.c.alerts {
		if a.Type == detect.AlertNewPeer {
			got[a.Device] = a.Severity
			assert.NotEmpty(t, a.ID)
			assert.Equal(t, "t", a.Sensor)
			assert.Contains(t, a.Details, "known_peers_on_service")
		}
	}
	assert.Equal(t, map[string]detect.Severity{"10.1.0.5": detect.SeverityCritical, "10.1.0.9": detect.SeverityMedium}, got)
}

// TestAdapt: with Adapt, a lasting change of volume is learned and stops alarming.
func TestAdapt(t *testing.T) {
	for _, adapt := range []bool{false, true} {
		t.Run(fmt.Sprint("adapt=", adapt), func(t *testing.T) {
			cfg := detect.DefaultConfig()
			cfg.Learn = 48 * time.Hour
			cfg.Adapt = adapt
			cfg.AdaptWeight = 2
			var c collector
			e := detect.NewEngine(cfg, c.sink)
			start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			port := uint16(40000)
			for day := 0; day < 8; day++ {
				n := 20
				if day >= 2 {
					n = 90 // the lab got busier for good
				}
				for _, h := range []int{0, 1} {
					ts := start.Add(time.Duration(day*24+h) * time.Hour)
					port++
					f := &app.Flow{Transport: app.TCP, Client: ap(addrA, port), Server: ap(addrE, 2575), Start: ts}
					e.FlowStart(f)
					for i := 0; i < n; i++ {
						e.Message(&app.Message{App: "hl7", Type: "ORU^R01", Flow: f, TS: ts.Add(time.Duration(i) * 30 * time.Second)})
					}
				}
			}
			e.Close()
			spikes := 0
			for _, a := range c.alerts {
				if a.Type == detect.AlertVolumeAnomaly && a.Details["kind"] == "spike" {
					spikes++
				}
			}
			if adapt {
				assert.LessOrEqual(t, spikes, 3)
			} else {
				assert.GreaterOrEqual(t, spikes, 5)
			}
		})
	}
}

// TestNames: DHCP host names and DNS answers name devices; they never alarm.
func TestNames(t *testing.T) {
	w := newWorld(t)
	f := &app.Flow{Transport: app.UDP, Client: ap(addrW, 53000), Server: ap(addrS, 53), Start: w.at(10, 0)}
	w.e.Message(&app.Message{App: "dns", Type: "response", Flow: f, Dir: app.ServerToClient, TS: w.at(10, 0),
		Attrs: map[string]string{"qname": "hema-01.lab.example", "qtype": "A", "rcode": "NOERROR", "answer": "10.1.0.5"}})
	w.e.Message(&app.Message{App: "dns", Type: "response", Flow: f, Dir: app.ServerToClient, TS: w.at(10, 1),
		Attrs: map[string]string{"qname": "9.0.1.10.in-addr.arpa", "qtype": "PTR", "rcode": "NOERROR", "answer": "ws-9.lab.example"}})
	d := &app.Flow{Transport: app.UDP, Client: ap(netip.IPv4Unspecified(), 68), Server: ap(netip.AddrFrom4([4]byte{255, 255, 255, 255}), 67), Start: w.at(10, 2)}
	w.e.Message(&app.Message{App: "dhcp", Type: "REQUEST", Flow: d, TS: w.at(10, 2),
		Attrs: map[string]string{"hostname": "HEMA01", "requested_ip": "10.1.0.5"}})
	path := filepath.Join(t.TempDir(), "b.lwb")
	require.NoError(t, w.e.SaveBaseline(path))
	bf, err := detect.ReadBaseline(path)
	require.NoError(t, err)
	byIP := map[string]detect.DeviceBaseline{}
	for _, d := range bf.Devices {
		byIP[d.IP] = d
	}
	assert.Equal(t, "hema-01.lab.example", byIP["10.1.0.5"].DNSName)
	assert.Equal(t, "HEMA01", byIP["10.1.0.5"].Hostname)
	assert.Equal(t, "ws-9.lab.example", byIP["10.1.0.9"].DNSName)
	for _, a := range w.c.alerts {
		if !a.TS.Before(w.judged) {
			assert.NotEqual(t, detect.AlertUnusualTime, a.Type)
		}
	}
}
