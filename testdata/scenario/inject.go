package scenario

import (
	"fmt"
	"net/netip"
	"time"

	"labwatch/protocols/app"
)

// Planted fictional patient values, put where no detector should read them
// (control ids, unknown attributes, a field list); they must never reach an alert.
var planted = []string{"MRN-4711-PLANTED", "DOE^JANE^PLANTED", "1961-07-04", "555-0199-PLANTED"}

func (g *generator) at(day, hour, minute int) time.Time {
	return g.opt.Start.Add(time.Duration(day)*24*time.Hour + time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

func (sc *Scenario) expect(typ string, dev netip.Addr, from, to time.Time, note string) {
	sc.Truth = append(sc.Truth, Truth{Type: typ, Device: dev.String(), From: from, To: to, Note: note})
}

func (sc *Scenario) allow(typ string, dev netip.Addr, from, to time.Time, note string) {
	sc.Truth = append(sc.Truth, Truth{Type: typ, Device: dev.String(), From: from, To: to, Optional: true, Note: note})
}

// plan sets the rate changes (spike, silence, benign peak) before traffic is
// generated. Days: 0 Monday … 3 Thursday (first judged day).
func (g *generator) plan(sc *Scenario) {
	spiky, quiet := ip("10.40.1.25"), ip("10.40.1.26")
	g.boost = append(g.boost,
		boost{addr: spiky, from: g.at(3, 15, 0), to: g.at(3, 16, 0), factor: 20},
		boost{from: g.at(4, 8, 0), to: g.at(4, 11, 0), factor: 1.6}) // benign: a busy Friday morning
	g.silent = map[netip.Addr][2]time.Time{quiet: {g.at(4, 9, 0), g.at(4, 13, 0)}}
	sc.expect("volume_anomaly", spiky, g.at(3, 15, 0), g.at(3, 17, 0), "20x HL7 results for an hour")
	sc.allow("volume_anomaly", engine, g.at(3, 15, 0), g.at(3, 17, 0), "the engine receives the spike")
	sc.allow("volume_anomaly", lis, g.at(3, 15, 0), g.at(3, 17, 0), "the LIS receives the spike")
	sc.expect("volume_anomaly", quiet, g.at(4, 9, 0), g.at(4, 14, 0), "analyzer silent 09:00-13:00")
	sc.Benign = append(sc.Benign, "all analyzers at 1.6x on Friday 08:00-11:00 (a normal peak)")
	sc.Planted = planted
}

// inject adds the anomalous and benign-novel events after normal traffic.
func (g *generator) inject(sc *Scenario) {
	b := g.b

	// new_device: an unknown analyzer sends results to the engine.
	newDev := ip("10.40.9.99")
	m := oru("NEWANALYZER^LAB")
	m.ControlID = planted[0]
	m.Attrs = map[string]string{"patient_name": planted[1]}
	b.session(newDev, engine, 2575, g.at(3, 10, 12), 10*time.Minute, 10, m, hl7Ack("AA"))
	sc.expect("new_device", newDev, g.at(3, 10, 12), g.at(3, 11, 0), "unknown analyzer")
	sc.allow("cleartext_phi", newDev, g.at(3, 10, 12), g.at(3, 11, 0), "its results are a new clear-text path")

	// new_peer: an analyzer reaches an outside host on its HL7 port; a
	// workstation reaches the LIS web port it never used.
	a22, ext := ip("10.40.1.22"), ip("198.51.100.23")
	b.conn(app.TCP, a22, ext, 2575, g.at(3, 14, 3), 2*time.Minute, [2]uint64{250000, 3000}, [2]uint64{200, 100})
	sc.expect("new_peer", a22, g.at(3, 14, 3), g.at(3, 15, 0), "analyzer to an outside host")
	sc.allow("volume_anomaly", a22, g.at(3, 14, 3), g.at(3, 16, 0), "the 250 kB it sent there")
	ws2 := ip("10.40.4.2")
	f := b.conn(app.TCP, ws2, lis, 443, g.at(4, 11, 20), time.Minute, [2]uint64{3000, 9000}, [2]uint64{10, 12})
	f.Encrypted = true
	sc.expect("new_peer", ws2, g.at(4, 11, 20), g.at(4, 12, 0), "workstation to the LIS over HTTPS")
	sc.allow("new_peer", lis, g.at(4, 11, 20), g.at(4, 12, 0), "the LIS side of it")
	sc.allow("new_service", lis, g.at(4, 11, 20), g.at(4, 12, 0), "the LIS never served 443")

	// new_service + cleartext_credentials: telnet to an ASTM analyzer.
	a21 := ip("10.40.2.21")
	f = b.conn(app.TCP, ws2, a21, 23, g.at(3, 11, 0), 5*time.Minute, [2]uint64{2000, 8000}, [2]uint64{30, 40})
	b.msg(f, app.ClientToServer, g.at(3, 11, 1), app.Message{App: "telnet", Type: "login", Counts: map[string]int{"credentials": 1},
		Attrs: map[string]string{"user_hash": app.KeyedHash("service"), "auth": "telnet"}})
	sc.expect("new_service", a21, g.at(3, 11, 0), g.at(3, 12, 0), "analyzer offers telnet")
	sc.expect("new_service", ws2, g.at(3, 11, 0), g.at(3, 12, 0), "workstation uses telnet")
	sc.expect("cleartext_credentials", ws2, g.at(3, 11, 0), g.at(3, 12, 0), "telnet login")
	sc.allow("new_message_type", ws2, g.at(3, 11, 0), g.at(3, 12, 0), "first telnet message")

	// cleartext_credentials over HTTP Basic.
	ws1 := ip("10.40.4.1")
	f = b.conn(app.TCP, ws1, web, 80, g.at(4, 9, 30), time.Minute, [2]uint64{900, 4000}, [2]uint64{6, 6})
	b.msg(f, app.ClientToServer, g.at(4, 9, 30).Add(time.Second), app.Message{App: "http", Type: "GET", Counts: map[string]int{"credentials": 1},
		Attrs: map[string]string{"user_hash": app.KeyedHash("labuser"), "auth": "basic", "method": "GET"}})
	sc.expect("cleartext_credentials", ws1, g.at(4, 9, 30), g.at(4, 10, 0), "HTTP basic")
	sc.allow("new_service", ws1, g.at(4, 9, 30), g.at(4, 10, 0), "first plain HTTP")
	sc.allow("new_service", web, g.at(4, 9, 30), g.at(4, 10, 0), "web server on port 80")
	sc.allow("new_message_type", ws1, g.at(4, 9, 30), g.at(4, 10, 0), "first HTTP message")

	// unusual_time: a day-shift workstation prints and browses at 03:10.
	ws3 := ip("10.40.4.3")
	f = b.conn(app.TCP, ws3, printer, 9100, g.at(4, 3, 10), 5*time.Second, [2]uint64{3000, 200}, [2]uint64{6, 4})
	b.msg(f, app.ClientToServer, g.at(4, 3, 10).Add(time.Second), app.Message{App: "zpl", Type: "label", Bytes: 1200})
	sc.expect("unusual_time", ws3, g.at(4, 3, 0), g.at(4, 4, 0), "workstation active at 03:10")

	// new_message_type: a new HL7 event, and a new sending application.
	a30, a31 := ip("10.40.1.30"), ip("10.40.1.31")
	adt := oru("HEMA10^LAB")
	adt.Type = "ADT^A08"
	b.session(a30, engine, 2575, g.at(3, 12, 0), 3*time.Minute, 3, adt, hl7Ack("AA"))
	sc.expect("new_message_type", a30, g.at(3, 12, 0), g.at(3, 13, 0), "ADT^A08 from an analyzer")
	b.session(a31, engine, 2575, g.at(4, 14, 30), 3*time.Minute, 2, oru("MIDDLEWARE^X"), hl7Ack("AA"))
	sc.expect("new_message_type", a31, g.at(4, 14, 30), g.at(4, 15, 0), "new sending application")

	// cleartext_phi: results to a test LIS never used, and out of the trusted networks.
	a24, testLIS := ip("10.40.2.24"), ip("10.40.0.30")
	b.session(a24, testLIS, 5000, g.at(3, 13, 0), 5*time.Minute, 5, astmResult("CHEM04"), nil)
	sc.expect("cleartext_phi", a24, g.at(3, 13, 0), g.at(3, 14, 0), "new PHI path to a test LIS")
	sc.allow("new_peer", a24, g.at(3, 13, 0), g.at(3, 14, 0), "the test LIS is a new peer")
	sc.allow("new_device", testLIS, g.at(3, 13, 0), g.at(3, 14, 0), "the test LIS answers")
	outside := ip("203.0.113.50")
	m = oru("ENGINE^LAB")
	m.PHIFields = append([]string{planted[2]}, hl7Fields...)
	m.ControlID = planted[3]
	b.session(engine, outside, 2575, g.at(4, 16, 0), 3*time.Minute, 3, m, nil)
	sc.expect("cleartext_phi", engine, g.at(4, 16, 0), g.at(4, 17, 0), "PHI leaves the trusted networks")
	sc.allow("new_peer", engine, g.at(4, 16, 0), g.at(4, 17, 0), "outside HL7 receiver")

	// protocol_anomaly: an ASTM checksum storm, and HL7 AE storm; a single glitch is benign.
	a22astm := ip("10.40.2.22")
	f = b.session(a22astm, lis, 5000, g.at(3, 16, 0), 5*time.Minute, 4, astmResult("CHEM02"), nil)
	for i := 0; i < 25; i++ {
		b.anomaly(f, app.ClientToServer, g.at(3, 16, 0).Add(time.Duration(i)*10*time.Second+time.Second), "astm", "bad_checksum", false)
	}
	sc.expect("protocol_anomaly", a22astm, g.at(3, 16, 0), g.at(3, 17, 0), "checksum storm")
	a29 := ip("10.40.1.29")
	b.session(a29, engine, 2575, g.at(4, 10, 0), 8*time.Minute, 15, oru("HEMA09^LAB"), hl7Ack("AE"))
	sc.expect("protocol_anomaly", a29, g.at(4, 10, 0), g.at(4, 11, 0), "HL7 AE storm")
	f = b.session(ip("10.40.2.23"), lis, 5000, g.at(3, 9, 0), 5*time.Minute, 3, astmResult("CHEM03"), nil)
	b.anomaly(f, app.ClientToServer, g.at(3, 9, 1), "astm", "bad_checksum", false)
	b.anomaly(f, app.ClientToServer, g.at(3, 9, 2), "astm", "framing_error", false)
	sc.Benign = append(sc.Benign, "two ASTM frame errors from one analyzer (a glitch)")

	// scan: a workstation probes 40 hosts on two ports in 40 seconds.
	ws4 := ip("10.40.4.4")
	for i := 0; i < 40; i++ {
		for j, port := range []uint16{22, 2575} {
			ts := g.at(4, 10, 30).Add(time.Duration(2*i+j) * 500 * time.Millisecond)
			b.conn(app.TCP, ws4, ip(fmt.Sprintf("10.40.1.%d", 1+i)), port, ts, 50*time.Millisecond, [2]uint64{60, 54}, [2]uint64{1, 1})
		}
	}
	sc.expect("scan", ws4, g.at(4, 10, 30), g.at(4, 11, 0), "40 hosts x 2 ports")
	sc.allow("new_service", ws4, g.at(4, 10, 30), g.at(4, 11, 30), "ports it never used")
	sc.allow("new_peer", ws4, g.at(4, 10, 30), g.at(4, 11, 30), "hosts it never reached")
	sc.allow("volume_anomaly", ws4, g.at(4, 10, 30), g.at(4, 11, 30), "its connections that hour")

	// Benign: the engine reconnects to the LIS twenty times in a minute.
	for i := 0; i < 20; i++ {
		b.conn(app.TCP, engine, lis, 2575, g.at(3, 8, 0).Add(time.Duration(i)*3*time.Second), time.Second, [2]uint64{300, 300}, [2]uint64{4, 3})
	}
	sc.Benign = append(sc.Benign, "interface engine reconnect storm (20 connections in a minute)",
		"fresh ephemeral client ports on every connection", "Saturday traffic at half rate, judged on the weekday profile")
}
