package detect

import (
	"fmt"
	"net/netip"

	"labwatch/protocols/app"
)

// insecureKey is one device using one obsolete or clear-text protocol.
type insecureKey struct {
	Device netip.Addr
	Proto  string
}

// insecureUse is what a message shows: the protocol (a stable code), why it
// is insecure, and whether the device that uses it is the flow's server
// (offers the service) rather than the message's sender.
type insecureUse struct {
	proto, why string
	byServer   bool
}

// insecureVersions are the TLS "insecure" attribute values (RFC 7568, RFC 6176,
// RFC 8996).
var insecureVersions = map[string]string{
	"ssl2": "SSL 2.0", "ssl2_hello": "an SSL 2.0 hello", "ssl3": "SSL 3.0", "tls1.0": "TLS 1.0", "tls1.1": "TLS 1.1",
}

// clinicalApps are the clinical protocols that must not leave the trusted
// networks without encryption.
var clinicalApps = map[string]insecureUse{
	"hl7":   cleartextUse("hl7"),
	"astm":  cleartextUse("astm"),
	"dicom": cleartextUse("dicom"),
}

// cleartextUse is built once per protocol: every message of a clinical
// protocol beyond the trusted networks asks for it.
func cleartextUse(app string) insecureUse {
	return insecureUse{app + "_cleartext", app + " unencrypted beyond the trusted networks", false}
}

// insecureOf names the insecure protocol a message shows, if any.
func (e *Engine) insecureOf(m *app.Message) (insecureUse, bool) {
	f := m.Flow
	switch {
	case m.App == "tls":
		// The handshake itself: the flow is marked encrypted already.
		if name, ok := insecureVersions[m.Attrs["insecure"]]; ok {
			return insecureUse{m.Attrs["insecure"], name + ": a deprecated protocol version", false}, true
		}
	case m.App == "smb":
		// A client's SMB1 negotiate may only offer SMB2; a server answering in
		// SMB1 speaks it.
		if m.Type == "SMB1" && m.Dir == app.ServerToClient {
			return insecureUse{"smb1", "SMBv1: deprecated, the protocol of EternalBlue and WannaCry", false}, true
		}
	case m.App == "ssh":
		// The banner, sent before the flow turns encrypted.
		if m.Attrs["insecure"] == "ssh1" {
			return insecureUse{"ssh1", "SSH protocol 1: broken key exchange and integrity", false}, true
		}
	case f.Encrypted:
		return insecureUse{}, false
	case m.App == "telnet":
		return insecureUse{"telnet", "Telnet: logins and sessions in clear text", true}, true
	case m.App == "ftp" && m.Type != "banner" && m.Type != "starttls":
		// The banner comes before a possible AUTH TLS: judge what follows it.
		return insecureUse{"ftp", "FTP: logins and files in clear text", true}, true
	case m.App == "snmp":
		switch v := m.Attrs["version"]; v {
		case "v1", "v2c":
			// A trap (UDP 162) is sent by the agent, the flow's client.
			return insecureUse{"snmp_" + v, "SNMP " + v + ": community strings in clear text, no integrity", f.Server.Port() != 162}, true
		}
	default:
		if use, clinical := clinicalApps[m.App]; clinical &&
			(!e.cfg.Trusted(f.Client.Addr().Unmap()) || !e.cfg.Trusted(f.Server.Addr().Unmap())) {
			return use, true
		}
	}
	return insecureUse{}, false
}

// insecureProtocol reports a device using an obsolete or clear-text protocol,
// once per device and protocol for the life of the baseline (learning
// included: it needs no baseline). The device is the end that offers the
// service (Telnet, FTP, SNMP agent) or that sent the message (TLS versions,
// clinical protocols), else the other end if that one is in the trusted
// networks.
func (e *Engine) insecureProtocol(m *app.Message) {
	use, ok := e.insecureOf(m)
	if !ok {
		return
	}
	f := m.Flow
	dev, peer := f.Src(m.Dir).Addr().Unmap(), f.Dst(m.Dir).Addr().Unmap()
	if use.byServer {
		dev, peer = f.Server.Addr().Unmap(), f.Client.Addr().Unmap()
		if m.App == "snmp" && f.Server.Port() == 162 {
			dev, peer = peer, dev
		}
	}
	if !e.eligible(dev) {
		dev, peer = peer, dev
		if !e.eligible(dev) {
			return
		}
	}
	k := insecureKey{dev, use.proto}
	if p := e.m.insecure[k]; p != nil {
		p.Last, p.Count = m.TS, p.Count+1
		return
	}
	if len(e.m.insecure) >= e.cfg.MaxPaths {
		e.dropped["insecure_over_cap"]++
		return
	}
	e.m.insecure[k] = &pathInfo{First: m.TS, Last: m.TS, Count: 1}
	leaves := !e.cfg.Trusted(peer)
	al := flowAlert(AlertInsecureProtocol, m.TS, dev, f)
	al.App = m.App
	where := "inside the trusted networks"
	if leaves {
		where = "with a host outside the trusted networks"
	}
	al.Summary = fmt.Sprintf("%s uses %s (%s, port %d) %s; expected: encrypted, current protocols only",
		dev, use.why, peer, f.Server.Port(), where)
	al.Severity = e.severity(SeverityMedium, dev, peer)
	al.Details = map[string]any{"protocol": use.proto, "peer": peer.String(), "port": f.Server.Port(), "leaves_trusted": leaves}
	e.raise(al, "insecure "+use.proto)
}
