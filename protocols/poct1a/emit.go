package poct1a

import (
	"time"

	"labwatch/protocols/app"
)

// fill builds the message for a summary. Identity comes from the flow's
// HEL.R01: the device is the sender of its direction's messages and the
// receiver of the other's.
func (a *Analyzer) fill(s *side, sum *Summary, size int, latency time.Duration) {
	counts := map[string]int{}
	set := func(k string, v int) {
		if v > 0 {
			counts[k] = v
		}
	}
	set("services", sum.Services)
	set("patients", sum.Patients)
	set("observations", sum.Observations)
	set("operator_ids", sum.OperatorIDs)
	set("notes", sum.Notes)
	set("new_observations", sum.NewObservations)
	set("credentials", sum.Credentials)
	attrs := map[string]string{}
	for k, v := range sum.Codes {
		if v != "" {
			attrs[k] = v
		}
	}
	if sum.Credentials > 0 {
		attrs["auth"] = "password"
		if sum.UserHash != "" {
			attrs["user_hash"] = sum.UserHash
		}
	}
	a.msg = app.Message{App: "poct1a", Type: sum.Type, Flow: a.flow, Dir: s.dir, TS: a.now,
		Version: sum.Version, ControlID: sum.ControlID, Ack: sum.Ack, AckLatency: latency,
		Results: sum.Observations, PHI: sum.PHI, PHIFields: sum.PHIFields,
		Counts: counts, Attrs: attrs, Bytes: size}
	if a.hasDevice {
		d := &a.device
		name := d.DeviceID
		if name == "" {
			name = d.Serial
		}
		if s.dir == a.deviceDir {
			a.msg.Sender, a.msg.Device, a.msg.Software = name, d.Model, d.Software
			setNonEmpty(attrs, "vendor", d.Vendor)
			setNonEmpty(attrs, "serial", d.Serial)
			setNonEmpty(attrs, "manufacturer", d.Manufacturer)
			setNonEmpty(attrs, "hw_version", d.Hardware)
		} else {
			a.msg.Receiver = name
		}
	}
}

func setNonEmpty(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}
