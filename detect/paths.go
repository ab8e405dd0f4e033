package detect

import (
	"fmt"

	"labwatch/protocols/app"
)

// cleartextPHI reports a path (client, server, port, application) that carries
// patient identifiers without encryption, once per path for the life of the
// baseline. Severity: medium for paths found while learning (they are the
// site's known clear-text interfaces), high for a new path after learning,
// critical when either end is outside the trusted networks.
func (e *Engine) cleartextPHI(m *app.Message) {
	f := m.Flow
	k := pathKey{Client: f.Client.Addr().Unmap(), Server: f.Server.Addr().Unmap(), Port: f.Server.Port(), App: m.App}
	if p := e.m.phiPaths[k]; p != nil {
		p.Last, p.Count, p.PHI = m.TS, p.Count+1, p.PHI|m.PHI
		return
	}
	if len(e.m.phiPaths) >= e.cfg.MaxPaths {
		e.dropped["phi_paths_over_cap"]++
		return
	}
	e.m.phiPaths[k] = &pathInfo{First: m.TS, Last: m.TS, Count: 1, PHI: m.PHI}
	src := f.Src(m.Dir).Addr().Unmap()
	dst := f.Dst(m.Dir).Addr().Unmap()
	sev := SeverityHigh
	state := "new path after learning"
	if e.learning() {
		sev, state = SeverityMedium, "found while learning"
	}
	leaves := !e.cfg.Trusted(src) || !e.cfg.Trusted(dst)
	if leaves {
		sev, state = SeverityCritical, "path leaves the trusted networks"
	}
	al := flowAlert(AlertCleartextPHI, m.TS, src, f)
	al.App = m.App
	kinds := m.PHI.Kinds()
	al.Summary = fmt.Sprintf("%s sent %s %s carrying patient identifiers (%s) unencrypted to %s port %d (%s); expected: no clear-text patient data on this path",
		src, m.App, messageKey(m.Type), m.PHI, dst, f.Server.Port(), state)
	al.Severity = sev
	al.Details = map[string]any{
		"phi_kinds": kinds, "phi_fields": boundedLabels(m.PHIFields, 16), "message_type": messageKey(m.Type),
		"leaves_trusted": leaves, "learning": e.learning(),
	}
	e.raise(al, fmt.Sprintf("%s:%d %s", dst, f.Server.Port(), m.App))
}

// cleartextCredentials reports user credentials sent without encryption, once
// per client, server, service and (hashed) user.
func (e *Engine) cleartextCredentials(m *app.Message) {
	f := m.Flow
	user := hashLabel(m.Attrs["user_hash"])
	k := pathKey{Client: f.Client.Addr().Unmap(), Server: f.Server.Addr().Unmap(), Port: f.Server.Port(), App: m.App, User: user}
	if p := e.m.creds[k]; p != nil {
		p.Last, p.Count = m.TS, p.Count+1
		return
	}
	if len(e.m.creds) >= e.cfg.MaxPaths {
		e.dropped["credential_paths_over_cap"]++
		return
	}
	e.m.creds[k] = &pathInfo{First: m.TS, Last: m.TS, Count: 1}
	src := f.Src(m.Dir).Addr().Unmap()
	al := flowAlert(AlertCleartextCredentials, m.TS, src, f)
	al.App = m.App
	auth := cleanLabel(m.Attrs["auth"], 32)
	al.Summary = fmt.Sprintf("%s sent %s credentials (%s) in clear text to %s port %d; expected: encrypted logins only",
		src, m.App, orDash(auth), k.Server, k.Port)
	al.Severity = e.severity(SeverityMedium, src, k.Server)
	al.Details = map[string]any{"auth": auth, "user_hash": user, "count": m.Counts["credentials"]}
	e.raise(al, fmt.Sprintf("%s:%d %s", k.Server, k.Port, user))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// boundedLabels keeps at most n field names that look like positions ("PID-5",
// "ASTM P-6", "DICOM (0010,0010)"): a parser bug that put a value there must
// not carry it into an alert.
func boundedLabels(in []string, n int) []string {
	var out []string
	for _, s := range in {
		if len(out) == n {
			break
		}
		if fieldLabel(s) {
			out = append(out, s)
		}
	}
	return out
}

func fieldLabel(s string) bool {
	if len(s) == 0 || len(s) > 24 || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == ' ' || c == '-' || c == '(' || c == ')' || c == ',' || c == '.' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}
