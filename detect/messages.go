package detect

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"labwatch/protocols/app"
)

// message counts a message for both ends, judges the sender's hour and the kinds
// of message and identities it uses, and passes it to the PHI, credential and
// protocol-error detectors.
func (e *Engine) message(m *app.Message) {
	f := m.Flow
	src, dst := f.Src(m.Dir).Addr().Unmap(), f.Dst(m.Dir).Addr().Unmap()
	sd := e.activeDevice(src, m.TS, f)
	if sd != nil {
		sd.proven = true
		sd.cur[msgsOut]++
		if m.Ack == "" {
			// An acknowledgement answers someone else's activity.
			e.unusualTime(src, sd, m.TS, f, m.App)
		}
		e.messageKinds(src, sd, m)
		if m.Dir == app.ServerToClient {
			e.serverView(src, sd, f, m.TS, e.device(dst))
		}
	}
	if dd := e.device(dst); dd != nil {
		dd.cur[msgsIn]++
	}
	if !f.Encrypted {
		if !m.PHI.Empty() {
			e.cleartextPHI(m)
		}
		if m.Counts["credentials"] > 0 {
			e.cleartextCredentials(m)
		}
	}
	e.insecureProtocol(m)
	e.messageErrors(m, src, dst)
	e.learnNames(m)
}

// identity is one thing a message says about its sender, under a fixed label.
type identity struct{ what, value string }

// identityAttrs are the attributes of TLS and DICOM that identify a client.
var identityAttrs = [...]string{"sop_class", "calling_ae", "called_ae", "ja4"}

// identities fills buf with what a message tells about its sender: the message
// type, the sending application, analyzer model, and identifying attributes.
// Patient data never reaches these fields.
func identities(m *app.Message, buf *[3 + len(identityAttrs)]identity) []identity {
	out := append(buf[:0], identity{"type", messageKey(m.Type)})
	if v := cleanLabel(m.Sender, 64); v != "" {
		out = append(out, identity{"sender", v})
	}
	if v := cleanLabel(m.Device, 64); v != "" {
		out = append(out, identity{"device", v})
	}
	for _, k := range identityAttrs {
		if v := cleanLabel(m.Attrs[k], 64); v != "" {
			out = append(out, identity{k, v})
		}
	}
	return out
}

// messageKinds judges and learns the message types and identities of a sender,
// and its software version.
func (e *Engine) messageKinds(a netip.Addr, d *devModel, m *app.Message) {
	if d.known == nil {
		d.known = map[kindKey]uint32{}
	}
	judged := e.judged(d)
	var buf [3 + len(identityAttrs)]identity
	for _, id := range identities(m, &buf) {
		key := kindKey{m.App, id.what, id.value}
		if n, ok := d.known[key]; ok {
			d.known[key] = n + 1
			continue
		}
		if len(d.known) >= e.cfg.MaxKnownTypes {
			d.overCap++
			e.dropped["known_types_over_cap"]++
			continue
		}
		if judged {
			e.novelKind(a, d, m, id)
		}
		d.known[key] = 1
	}
	e.software(a, d, m, judged)
}

func (e *Engine) novelKind(a netip.Addr, d *devModel, m *app.Message, id identity) {
	al := flowAlert(AlertNewMessageType, m.TS, a, m.Flow)
	al.App = m.App
	known := d.knownValues(m.App, id.what)
	al.Summary = fmt.Sprintf("%s sent %s %s %q for the first time; learned: %s",
		a, m.App, strings.ReplaceAll(id.what, "_", " "), id.value, joinOrNone(known))
	al.Severity = e.severity(SeverityLow, a, m.Flow.Dst(m.Dir).Addr().Unmap())
	al.Details = map[string]any{"kind": id.what, "seen": id.value, "expected": known}
	e.raise(al, m.App+" "+id.what+" "+id.value)
}

// knownValues lists the learned values of one identity kind of one app.
func (d *devModel) knownValues(appName, what string) []string {
	var out []string
	for k := range d.known {
		if k.App == appName && k.What == what {
			out = append(out, k.Value)
		}
	}
	sort.Strings(out)
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("… %d more", len(out)-10))
	}
	return out
}

func joinOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// unusualTime reports activity in an hour of the day (weekday or weekend) in
// which the device was never active while learning, nor in the hours beside it,
// once per hour. appName is the message's application, "" for a connection.
func (e *Engine) unusualTime(a netip.Addr, d *devModel, ts time.Time, f *app.Flow, appName string) {
	h := hourIndex(ts)
	if !e.judged(d) || d.unusualHour == h {
		return
	}
	dt, hr := slotOf(h, e.loc)
	s, _ := d.prof.lookup(dt, hr)
	if s.N < 2 || s.Active > 0 {
		return
	}
	for _, near := range [...]int{(hr + 23) % 24, (hr + 1) % 24} {
		if n, _ := d.prof.lookup(dt, near); n.Active > 0 {
			return
		}
	}
	d.unusualHour = h
	what := "opened a connection"
	if appName != "" {
		what = "sent a " + appName + " message"
	}
	active := d.activeHours(dt)
	al := flowAlert(AlertUnusualTime, ts, a, f)
	al.Summary = fmt.Sprintf("%s %s at %02d:00 on a %s; in %d learned %ss it was never active from %02d:00 to %02d:00 (usual hours: %s)",
		a, what, hr, dayTypeNames[dt], s.N, dayTypeNames[dt], (hr+23)%24, (hr+2)%24, active)
	al.Severity = e.severity(SeverityLow, a, netip.Addr{})
	al.Details = map[string]any{"hour": hr, "day_type": dayTypeNames[dt], "learned_days": s.N, "expected_active": 0, "usual_hours": active}
	e.raise(al, fmt.Sprint(h))
}

// activeHours describes the hours a device was active on a day type, "07-18".
func (d *devModel) activeHours(dt int) string {
	var parts []string
	start := -1
	for h := 0; h <= 24; h++ {
		on := h < 24 && d.prof[dt][h].Active > 0
		if on && start < 0 {
			start = h
		}
		if !on && start >= 0 {
			parts = append(parts, fmt.Sprintf("%02d-%02d", start, h-1))
			start = -1
		}
	}
	return joinOrNone(parts)
}
