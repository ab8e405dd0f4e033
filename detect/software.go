package detect

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"labwatch/protocols/app"
)

// SoftwareIdentity is one piece of software or firmware a device revealed on
// the wire: an analyzer's firmware, an HL7 SFT product, a server banner, a TLS
// version it offered. Kind says which; Context separates slots of one kind (the
// analyzer model, the server port, the client product); Value is what was
// seen last. Never patient data: these come from header, banner and handshake
// fields only.
type SoftwareIdentity struct {
	App     string    `json:"app"`
	Kind    string    `json:"kind"`
	Context string    `json:"context,omitempty"`
	Value   string    `json:"value"`
	First   time.Time `json:"first_seen"`
	Last    time.Time `json:"last_seen"`
	Count   uint32    `json:"count"`
}

// swKey is one software slot of a device.
type swKey struct{ App, Kind, Context string }

// swInfo is what a slot holds.
type swInfo struct {
	Value       string
	First, Last time.Time
	Count       uint32
}

// swSeen is one identity a message reveals; tracked slots hold one value and
// raise version_change when it changes, untracked ones (TLS versions and
// ciphers, which vary by peer) are a set: each value is its own slot. A
// context that costs an allocation (a port, a skeleton) is only built when
// the value is not already known (ctxPort, ctxSkeleton).
type swSeen struct {
	kind, value, context string
	from                 ctxFrom
	tracked              bool
}

type ctxFrom uint8

const (
	ctxGiven    ctxFrom = iota // context holds it
	ctxPort                    // "port N", the flow's server port
	ctxSkeleton                // the value's skeleton
)

// maxSoftwarePerMessage bounds what softwareOf returns.
const maxSoftwarePerMessage = 4

// credsApps are the clear-text login protocols whose greeting names the server
// software.
var credsApps = map[string]bool{"ftp": true, "telnet": true, "smtp": true, "pop3": true, "imap": true}

// deviceApps are the clinical and device protocols whose messages carry the
// sender's software version (app.Message.Software).
var deviceApps = map[string]bool{"hl7": true, "astm": true, "poct1a": true, "dicom": true, "zpl": true}

// tlsVersions are the version names the TLS analyzer reports.
var tlsVersions = map[string]bool{"ssl2": true, "ssl3": true, "tls1.0": true, "tls1.1": true, "tls1.2": true, "tls1.3": true}

// cipherName accepts a cipher suite as the TLS analyzer names it: an IANA
// name (TLS_…, SSL_…) or a hex code (0x00ff), never free text.
func cipherName(s string) bool {
	if len(s) < 4 || len(s) > 64 || !(s[:4] == "TLS_" || s[:4] == "SSL_" || s[:2] == "0x") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == '_' || c == 'x') {
			return false
		}
	}
	return true
}

// softwareOf lists the software identities of a message's sender, in buf.
func softwareOf(m *app.Message, buf *[maxSoftwarePerMessage]swSeen) []swSeen {
	out := buf[:0]
	sw := cleanLabel(m.Software, 64)
	model := cleanLabel(m.Device, 64)
	switch {
	case m.App == "http" && sw != "":
		if m.Dir == app.ServerToClient {
			out = append(out, swSeen{kind: "server", value: sw, from: ctxPort, tracked: true})
		} else {
			// A host runs many HTTP clients: a slot per product, so that
			// only a new version of the same client is a change.
			out = append(out, swSeen{kind: "user_agent", value: sw, from: ctxSkeleton, tracked: true})
		}
	case (credsApps[m.App] || m.App == "ssh") && m.Type == "banner" && sw != "":
		out = append(out, swSeen{kind: "banner", value: sw, from: ctxPort, tracked: true})
	case m.App == "tls":
		kind := "tls_offered"
		if m.Type == "server_hello" {
			kind = "tls_chosen"
		}
		// Fixed vocabularies only: what the wire may not choose freely.
		if v := m.Attrs["version"]; tlsVersions[v] {
			out = append(out, swSeen{kind: kind, value: v, context: v})
		}
		if c := m.Attrs["cipher"]; cipherName(c) {
			out = append(out, swSeen{kind: "cipher", value: c, context: c})
		}
	case m.App == "snmp" && sw != "":
		// sysDescr.0 in a response: the agent's model and firmware.
		out = append(out, swSeen{kind: "sysdescr", value: sw, from: ctxPort, tracked: true})
	case m.App == "dhcp" && model != "":
		out = append(out, swSeen{kind: "vendor_class", value: model, tracked: true})
	case deviceApps[m.App] && sw != "":
		// hl7, astm, poct1a, dicom, zpl: a middleware relays several
		// instruments, so the slot is per sending application or model.
		ctx := model
		if m.App == "hl7" {
			ctx, _, _ = strings.Cut(cleanLabel(m.Sender, 64), "^")
		}
		out = append(out, swSeen{kind: "software", value: sw, context: ctx, tracked: true})
	}
	if uid := cleanLabel(m.Attrs["implementation_uid"], 64); uid != "" && m.App == "dicom" {
		out = append(out, swSeen{kind: "implementation_uid", value: uid, tracked: true})
	}
	if hw := cleanLabel(m.Attrs["hw_version"], 64); hw != "" && m.App == "poct1a" {
		out = append(out, swSeen{kind: "hw_version", value: hw, context: model, tracked: true})
	}
	return out
}

// contextOf builds the slot context of an identity.
func (s *swSeen) contextOf(f *app.Flow) string {
	switch s.from {
	case ctxPort:
		return "port " + strconv.Itoa(int(f.Server.Port()))
	case ctxSkeleton:
		return skeleton(s.value)
	}
	return s.context
}

// known finds the slot already holding this value (the common case, checked
// without building a context).
func (d *devModel) knownSoftware(appName string, s *swSeen) *swInfo {
	for k, info := range d.software {
		if k.App == appName && k.Kind == s.kind && info.Value == s.value && (s.from != ctxGiven || k.Context == s.context) {
			return info
		}
	}
	return nil
}

// software learns the sender's software identities and reports a changed one
// as version_change once the device is judged. Identities are part of the
// baseline, so a change across a restart is reported too.
func (e *Engine) software(a netip.Addr, d *devModel, m *app.Message, judged bool) {
	var buf [maxSoftwarePerMessage]swSeen
	for i, s := range softwareOf(m, &buf) {
		if info := d.knownSoftware(m.App, &buf[i]); info != nil {
			info.Last = m.TS
			info.Count++
			continue
		}
		k := swKey{m.App, s.kind, s.contextOf(m.Flow)}
		info := d.software[k]
		if info == nil {
			if len(d.software) >= e.cfg.MaxIdentities {
				e.dropped["software_over_cap"]++
				continue
			}
			if d.software == nil {
				d.software = map[swKey]*swInfo{}
			}
			d.software[k] = &swInfo{Value: s.value, First: m.TS, Last: m.TS, Count: 1}
			continue
		}
		if judged {
			e.versionChange(a, m, k, info.Value, s.value)
		}
		info.Value, info.First, info.Last = s.value, m.TS, m.TS
		info.Count++
	}
}

// versionChange reports a slot's new value: an update, a rollback, or other
// software altogether (which may be another host answering on the address).
func (e *Engine) versionChange(a netip.Addr, m *app.Message, k swKey, old, seen string) {
	change := compareVersions(old, seen)
	al := flowAlert(AlertVersionChange, m.TS, a, m.Flow)
	al.App = m.App
	what := m.App + " " + strings.ReplaceAll(k.Kind, "_", " ")
	if k.Context != "" {
		what += " (" + k.Context + ")"
	}
	note := map[string]string{
		"update":   "an update",
		"rollback": "an older version: a rollback",
		"replaced": "different software: an update, or another host answering on this address",
	}[change]
	al.Summary = fmt.Sprintf("%s %s changed: %q → %q (%s)", a, what, old, seen, note)
	base := SeverityLow
	if change != "update" {
		base = SeverityMedium
	}
	al.Severity = e.severity(base, a, netip.Addr{})
	al.Details = map[string]any{"kind": k.Kind, "context": k.Context, "expected": old, "seen": seen, "change": change}
	e.raise(al, "software "+k.App+" "+k.Kind+" "+k.Context)
}

// skeleton is a value with every run of digits written '#': the product
// without its version, "Chrome/#.#.#.#".
func skeleton(s string) string {
	var b strings.Builder
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			if !digits {
				b.WriteByte('#')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteByte(c)
	}
	return b.String()
}

// compareVersions classifies a change of value: "update" or "rollback" when
// only the numbers changed (compared in order, numerically), else "replaced".
func compareVersions(old, seen string) string {
	if skeleton(old) != skeleton(seen) {
		return "replaced"
	}
	on, sn := numbers(old), numbers(seen)
	for i := range min(len(on), len(sn)) {
		switch {
		case sn[i] > on[i]:
			return "update"
		case sn[i] < on[i]:
			return "rollback"
		}
	}
	return "replaced" // same numbers, different zero padding
}

// numbers returns the runs of digits of s, capped at 18 digits each.
func numbers(s string) []uint64 {
	var out []uint64
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		run := strings.TrimLeft(s[i:j], "0")
		if len(run) > 18 {
			run = run[:18]
		}
		n, _ := strconv.ParseUint("0"+run, 10, 64)
		out = append(out, n)
		i = j
	}
	return out
}

// softwareList exports a device's identities, sorted by slot.
func (d *devModel) softwareList() []SoftwareIdentity {
	if len(d.software) == 0 {
		return nil
	}
	out := make([]SoftwareIdentity, 0, len(d.software))
	for k, v := range d.software {
		out = append(out, SoftwareIdentity{App: k.App, Kind: k.Kind, Context: k.Context, Value: v.Value, First: v.First, Last: v.Last, Count: v.Count})
	}
	sortSoftware(out)
	return out
}

func sortSoftware(s []SoftwareIdentity) {
	slices.SortFunc(s, func(a, b SoftwareIdentity) int {
		for _, c := range [...]int{cmpString(a.App, b.App), cmpString(a.Kind, b.Kind), cmpString(a.Context, b.Context)} {
			if c != 0 {
				return c
			}
		}
		return 0
	})
}
