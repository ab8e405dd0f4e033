package rules

import (
	"fmt"
	"strconv"
	"strings"

	"labwatch/detect"
)

// alert builds the alert of a match. It names the rule and what matched by
// addresses, ports, device names and roles from the site config, and application
// identities; PHI appears as kinds only. ID and Sensor are left for the caller,
// which numbers every alert of the sensor.
func (r *compiledRule) alert(ev *Event, count int) *detect.Alert {
	a := &detect.Alert{
		TS:        ev.TS,
		Type:      detect.AlertRule,
		Severity:  r.Severity,
		Device:    ev.SrcIP,
		SrcIP:     ev.SrcIP,
		SrcPort:   port16(ev.SrcPort),
		DstIP:     ev.DstIP,
		DstPort:   port16(ev.DstPort),
		Transport: ev.Transport,
		App:       ev.App,
		RuleID:    r.ID,
		Count:     count,
		Summary:   fmt.Sprintf("rule %s: %s (%s)", r.ID, r.Description, describe(ev)),
		Details:   details(ev),
	}
	if r.Threshold != nil {
		a.Details["threshold"] = r.Threshold.String()
	}
	return a
}

// describe is the "what matched" part of a summary: "hl7 ADT^A01 from
// 10.1.2.3 (analyzer) to 198.51.100.7:2575 (untrusted)".
func describe(ev *Event) string {
	var b strings.Builder
	b.WriteString(ev.App)
	if ev.Type != "" {
		b.WriteString(" " + ev.Type)
	}
	b.WriteString(" from " + ev.SrcIP)
	writeSide(&b, ev.SrcName, ev.SrcRole, ev.SrcTrusted)
	b.WriteString(" to " + ev.DstIP)
	if ev.DstPort != 0 {
		b.WriteString(":" + strconv.Itoa(ev.DstPort))
	}
	writeSide(&b, ev.DstName, ev.DstRole, ev.DstTrusted)
	return b.String()
}

func writeSide(b *strings.Builder, name, role string, trusted bool) {
	var parts []string
	for _, p := range []string{name, role} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if !trusted {
		parts = append(parts, "untrusted")
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
}

// details lists the non-empty event fields an analyst filters on.
func details(ev *Event) map[string]any {
	d := map[string]any{"src_trusted": ev.SrcTrusted, "dst_trusted": ev.DstTrusted}
	put := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	put("message_type", ev.Type)
	put("src_name", ev.SrcName)
	put("src_role", ev.SrcRole)
	put("dst_name", ev.DstName)
	put("dst_role", ev.DstRole)
	put("sending_app", ev.HL7.SendingApp)
	put("sending_facility", ev.HL7.SendingFacility)
	put("receiving_app", ev.HL7.ReceivingApp)
	put("analyzer", ev.ASTM.Analyzer)
	put("poct_device", ev.POCT.Device)
	put("calling_ae", ev.DICOM.CallingAE)
	put("called_ae", ev.DICOM.CalledAE)
	put("sop_class", ev.DICOM.SOPClass)
	put("tls_version", ev.TLS.Version)
	put("sni", ev.TLS.SNI)
	if len(ev.PHI) > 0 {
		d["phi_kinds"] = strings.Join(ev.PHI, ",")
	}
	if ev.Credentials {
		d["credentials"] = true
	}
	return d
}

// port16 keeps a port in range for the alert's uint16 field.
func port16(p int) uint16 {
	if p < 0 || p > 65535 {
		return 0
	}
	return uint16(p)
}
