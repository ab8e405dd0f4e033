package scenario

import (
	"fmt"
	"net/netip"
	"time"

	"labwatch/protocols/app"
)

// Options shape a scenario.
type Options struct {
	Seed  uint64
	Start time.Time     // local midnight of a Monday (UTC)
	Days  int           // days generated; injections fall after Learn
	Learn time.Duration // learning window the truth assumes
}

// DefaultOptions: six days from Monday 2 March 2026, learning three of them;
// Thursday and Friday carry the injections, Saturday is judged on the weekday
// profile.
func DefaultOptions() Options {
	return Options{Seed: 6, Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Days: 6, Learn: 72 * time.Hour}
}

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// Fixed infrastructure.
var (
	lis     = ip("10.40.0.10")
	engine  = ip("10.40.0.11")
	dms     = ip("10.40.0.12")
	web     = ip("10.40.0.20")
	dns     = ip("10.40.0.2")
	printer = ip("10.40.5.10")
)

// topology lists the simulated devices.
func topology() []device {
	ds := []device{
		{addr: lis, role: roleLIS, name: "LIS"},
		{addr: engine, role: roleEngine, name: "ENGINE"},
		{addr: dms, role: roleDMS, name: "POCT-DMS"},
		{addr: web, role: roleWeb, name: "WEB"},
		{addr: dns, role: roleDNS, name: "DNS"},
		{addr: printer, role: rolePrinter, name: "PRINTER"},
	}
	for i := 0; i < 12; i++ {
		ds = append(ds, device{addr: ip(fmt.Sprintf("10.40.1.%d", 20+i)), role: roleHL7Analyzer,
			name: fmt.Sprintf("HEMA%02d^LAB", i), rate: float64(12 + 3*i), allDay: i%3 != 2})
	}
	for i := 0; i < 6; i++ {
		ds = append(ds, device{addr: ip(fmt.Sprintf("10.40.2.%d", 20+i)), role: roleASTMAnalyzer,
			name: fmt.Sprintf("CHEM%02d", i), rate: float64(10 + 4*i), allDay: i%2 == 0})
	}
	for i := 0; i < 4; i++ {
		ds = append(ds, device{addr: ip(fmt.Sprintf("10.40.3.%d", 20+i)), role: rolePOCT,
			name: fmt.Sprintf("GLU%02d", i), rate: 6})
	}
	for i := 0; i < 4; i++ {
		ds = append(ds, device{addr: ip(fmt.Sprintf("10.40.4.%d", 1+i)), role: roleWorkstation,
			name: fmt.Sprintf("WS%02d", i), rate: 6})
	}
	return ds
}

// shape is the share of the peak rate at a local hour: day shifts from 07:00
// to 18:59 with a late-morning peak, nights only for devices that work them.
func shape(hour int, allDay bool) float64 {
	switch {
	case hour >= 9 && hour <= 14:
		return 1
	case hour >= 7 && hour <= 18:
		return 0.6
	case allDay:
		return 0.35
	}
	return 0
}

// Generate builds a scenario: normal traffic for every hour, then the
// injections of inject.go.
func Generate(o Options) *Scenario {
	b := &builder{rng: newRNG(o.Seed)}
	ds := topology()
	end := o.Start.Add(time.Duration(o.Days) * 24 * time.Hour)
	g := &generator{b: b, opt: o, devices: ds}
	sc := &Scenario{Start: o.Start, End: end, Learn: o.Learn}
	g.plan(sc)
	for t := o.Start; t.Before(end); t = t.Add(time.Hour) {
		g.hour(t)
	}
	g.inject(sc)
	sc.Events = b.sorted()
	return sc
}

type generator struct {
	b       *builder
	opt     Options
	devices []device
	// silent maps a device to a period in which it sends nothing (an injected
	// silence).
	silent map[netip.Addr][2]time.Time
	// boost multiplies a device's rate in a period (an injected spike or a
	// benign peak).
	boost []boost
}

type boost struct {
	addr     netip.Addr // invalid: every analyzer
	from, to time.Time
	factor   float64
}

func (g *generator) rate(d *device, t time.Time) float64 {
	if p, ok := g.silent[d.addr]; ok && !t.Before(p[0]) && t.Before(p[1]) {
		return 0
	}
	r := d.rate * shape(t.Hour(), d.allDay)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		r *= 0.5
		if d.role == roleWorkstation {
			r = 0
		}
	}
	for _, bo := range g.boost {
		everyAnalyzer := !bo.addr.IsValid() && (d.role == roleHL7Analyzer || d.role == roleASTMAnalyzer)
		if (everyAnalyzer || bo.addr == d.addr) && !t.Before(bo.from) && t.Before(bo.to) {
			r *= bo.factor
		}
	}
	return r
}

// hour generates the normal traffic of one hour.
func (g *generator) hour(t time.Time) {
	b := g.b
	forwarded := 0
	for i := range g.devices {
		d := &g.devices[i]
		n := b.rng.poisson(g.rate(d, t))
		switch d.role {
		case roleHL7Analyzer:
			if n > 0 {
				start := b.rng.within(t, 5*time.Minute)
				b.session(d.addr, engine, 2575, start, t.Add(55*time.Minute).Sub(start), n, oru(d.name), hl7Ack("AA"))
				forwarded += n
			}
		case roleASTMAnalyzer:
			if n > 0 {
				start := b.rng.within(t, 5*time.Minute)
				b.session(d.addr, lis, 5000, start, t.Add(55*time.Minute).Sub(start), n, astmResult(d.name), nil)
			}
		case rolePOCT:
			if n > 0 {
				m := app.Message{App: "poct1a", Type: "OBS.R01", Sender: d.name, Device: "GLUCO-METER", PHI: app.PHISet(app.PHIPatientID),
					PHIFields: []string{"POCT patient_id"}, Bytes: 700}
				start := b.rng.within(t, 5*time.Minute)
				b.session(d.addr, dms, 6000, start, t.Add(50*time.Minute).Sub(start), n, m, &app.Message{App: "poct1a", Type: "ACK.R01", Bytes: 200})
			}
		case roleWorkstation:
			g.workstation(d, t, n)
		}
	}
	if forwarded > 0 {
		// The interface engine forwards every result to the LIS.
		b.session(engine, lis, 2575, t.Add(time.Minute), 58*time.Minute, forwarded, oru("ENGINE^LAB"), &app.Message{App: "hl7", Type: "ACK", Sender: "LIS^LAB", Ack: "AA", Bytes: 120})
	}
}

// workstation: web sessions over TLS, DNS lookups, label printing, in day shifts.
func (g *generator) workstation(d *device, t time.Time, n int) {
	b := g.b
	for i := 0; i < n; i++ {
		ts := b.rng.within(t, time.Hour-5*time.Minute)
		f := b.conn(app.TCP, d.addr, web, 443, ts, 3*time.Minute, [2]uint64{4000, 60000}, [2]uint64{20, 50})
		f.Encrypted = true
		b.msg(f, app.ClientToServer, ts.Add(10*time.Millisecond), app.Message{App: "tls", Type: "client_hello",
			Attrs: map[string]string{"ja4": "t13d1516h2_8daaf6152771_02713d6af862", "sni": "lis.lab.example"}, Bytes: 517})
		// Every lookup is for some name; names are not identities, so new
		// ones never alarm.
		q := b.conn(app.UDP, d.addr, dns, 53, ts.Add(-20*time.Millisecond), 10*time.Millisecond, [2]uint64{80, 120}, [2]uint64{1, 1})
		b.msg(q, app.ClientToServer, ts.Add(-15*time.Millisecond), app.Message{App: "dns", Type: "query",
			Attrs: map[string]string{"qname_hash": app.KeyedHash(fmt.Sprint("host", b.rng.r.IntN(1000)))}, Bytes: 80})
	}
	for i := 0; i < n/3; i++ {
		ts := b.rng.within(t, time.Hour-5*time.Minute)
		f := b.conn(app.TCP, d.addr, printer, 9100, ts, 4*time.Second, [2]uint64{3000, 200}, [2]uint64{6, 4})
		b.msg(f, app.ClientToServer, ts.Add(time.Second), app.Message{App: "zpl", Type: "label", Bytes: 1200})
	}
}
