package detect

import "net/netip"

var severityOrder = []Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// raiseBy returns s raised by n levels, at most critical.
func (s Severity) raiseBy(n int) Severity {
	for i, v := range severityOrder {
		if v == s {
			return severityOrder[min(i+n, len(severityOrder)-1)]
		}
	}
	return s
}

// clinicalRoles are the roles whose misbehaviour touches patient care directly.
var clinicalRoles = map[string]bool{
	"analyzer": true, "lis": true, "interface_engine": true, "poct": true, "middleware": true,
}

// severity grades an alert: base for the type, one level more when the device
// has a clinical role, one more when the peer is outside the trusted networks.
func (e *Engine) severity(base Severity, device, peer netip.Addr) Severity {
	n := 0
	if _, role := e.cfg.DeviceInfo(device); clinicalRoles[role] {
		n++
	}
	if peer.IsValid() && !e.cfg.Trusted(peer) {
		n++
	}
	return base.raiseBy(n)
}
