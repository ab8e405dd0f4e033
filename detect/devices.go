package detect

import (
	"fmt"
	"net/netip"
	"time"

	"labwatch/protocols/app"
)

// eligible tells whether an address can be a device with a baseline: a unicast
// address in the trusted networks. Outside addresses are peers, never devices.
func (e *Engine) eligible(a netip.Addr) bool {
	if !a.IsValid() || a.IsUnspecified() || a.IsMulticast() || a.IsLoopback() ||
		a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return false
	}
	return e.cfg.Trusted(a)
}

// device returns the model of an address without creating one.
func (e *Engine) device(a netip.Addr) *devModel { return e.m.devices[a.Unmap()] }

// activeDevice returns the model of an address that showed itself active at ts
// (opened a flow, sent a message, answered), creating it if there is room. A
// device first seen after the learning window is reported as new_device and then
// learns for a window of its own before it is judged.
func (e *Engine) activeDevice(a netip.Addr, ts time.Time, f *app.Flow) *devModel {
	a = a.Unmap()
	if d := e.m.devices[a]; d != nil {
		if ts.After(d.lastSeen) {
			d.lastSeen = ts
		}
		return d
	}
	if !e.eligible(a) {
		return nil
	}
	if len(e.m.devices) >= e.cfg.MaxDevices && !e.evictUnproven() {
		e.dropped["devices_over_cap"]++
		return nil
	}
	d := &devModel{firstSeen: ts, lastSeen: ts, judgeFrom: e.cfg.Learn, unusualHour: -1}
	e.m.unproven.add(a)
	d.name, d.role = e.cfg.DeviceInfo(a)
	if !e.learning() {
		d.judgeFrom = e.m.observed + e.cfg.Learn
		e.newDevice(a, d, ts, f)
	}
	e.m.devices[a] = d
	return d
}

// evictUnproven removes the oldest model that never proved real, to make room
// at max_devices; false when every model is proven.
func (e *Engine) evictUnproven() bool {
	a, ok := e.m.unproven.next(func(a netip.Addr) bool {
		d := e.m.devices[a]
		return d != nil && !d.proven
	})
	if ok {
		delete(e.m.devices, a)
		e.dropped["devices_evicted_unproven"]++
	}
	return ok
}

func (e *Engine) newDevice(a netip.Addr, d *devModel, ts time.Time, f *app.Flow) {
	al := flowAlert(AlertNewDevice, ts, a, f)
	label := a.String()
	if d.name != "" {
		label += " (" + d.name + ")"
	}
	al.Summary = fmt.Sprintf("%s appeared after learning (%s of traffic); none of the %d known devices had this address",
		label, e.cfg.Learn, len(e.m.devices))
	al.Severity = e.severity(SeverityMedium, a, netip.Addr{})
	al.Details = map[string]any{"known_devices": len(e.m.devices), "first_seen": ts}
	if f != nil {
		al.Details["first_peer"] = f.Server.Addr().String()
	}
	e.raise(al, "")
}

// flowAlert starts an alert about device a, with the flow's endpoints if known.
func flowAlert(typ string, ts time.Time, a netip.Addr, f *app.Flow) *Alert {
	al := &Alert{TS: ts, Type: typ, Device: a.String()}
	if f != nil {
		al.SrcIP, al.SrcPort = f.Client.Addr().Unmap().String(), f.Client.Port()
		al.DstIP, al.DstPort = f.Server.Addr().Unmap().String(), f.Server.Port()
		al.Transport = f.Transport.String()
	}
	return al
}
