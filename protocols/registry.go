package protocols

import (
	"maps"
	"slices"

	"labwatch/protocols/app"
	"labwatch/protocols/astm"
	"labwatch/protocols/creds"
	"labwatch/protocols/dhcp"
	"labwatch/protocols/dicom"
	"labwatch/protocols/dns"
	"labwatch/protocols/hl7"
	httpproto "labwatch/protocols/http"
	"labwatch/protocols/phiscan"
	"labwatch/protocols/poct1a"
	"labwatch/protocols/smb"
	"labwatch/protocols/ssh"
	"labwatch/protocols/tls"
	"labwatch/protocols/zpl"
)

// Spec describes one protocol to the identifier. A protocol has a TCP side
// (Probe, New, Ports), a UDP side (NewDatagram, UDPPorts), or both.
type Spec struct {
	Name  string
	Ports []uint16 // registered TCP server ports
	// Probe looks at the first bytes of one direction of a TCP flow; nil means
	// the protocol is found by port only.
	Probe func(data []byte) app.ProbeResult
	// New makes a TCP flow's analyzer.
	New func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer

	UDPPorts []uint16 // UDP ports, matched on either side of the flow
	// NewDatagram makes a UDP flow's analyzer.
	NewDatagram func(f *app.Flow, emit app.Emitter, cfg *Config) app.DatagramAnalyzer
}

// Registry lists the stream analyzers in probe order. Adding a protocol means adding
// its package and one entry here; there are no init() side effects.
func Registry() []Spec {
	return []Spec{
		{
			// First: a TLS handshake on any port marks the flow encrypted, so
			// HL7 or DICOM over TLS is never taken for clear text.
			Name:  "tls",
			Ports: tls.Ports,
			Probe: tls.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return tls.NewAnalyzer(f, emit, &cfg.TLS)
			},
		},
		{
			Name:  "hl7",
			Ports: []uint16{2575},
			Probe: hl7.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return hl7.NewAnalyzer(f, emit, &cfg.HL7)
			},
		},
		{
			Name:  "astm",
			Probe: astm.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return astm.NewAnalyzer(f, emit, &cfg.ASTM)
			},
		},
		{
			// After ASTM: a lone 0x05 is an ASTM ENQ as well as the first byte
			// of a DICOM A-RELEASE-RQ.
			Name:  "dicom",
			Ports: dicom.Ports,
			Probe: dicom.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return dicom.NewAnalyzer(f, emit, &cfg.DICOM)
			},
		},
		{
			Name:  "poct1a",
			Probe: poct1a.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return poct1a.NewAnalyzer(f, emit, &cfg.POCT1A)
			},
		},
		{
			Name:  "http",
			Ports: httpproto.Ports,
			Probe: httpproto.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return httpproto.NewAnalyzer(f, emit, &cfg.HTTP)
			},
		},
		{
			// SSH: the two banners (software identity, SSH-1 flagged), then the
			// flow is encrypted.
			Name:  "ssh",
			Ports: []uint16{ssh.Port},
			Probe: ssh.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return ssh.NewAnalyzer(f, emit, &cfg.SSH)
			},
		},
		{
			// SMB: which dialect family (SMBv1 is an insecure_protocol finding).
			Name:  "smb",
			Ports: smb.Ports,
			Probe: smb.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return smb.NewAnalyzer(f, emit, &cfg.SMB)
			},
		},
		{
			Name:  "zpl",
			Ports: []uint16{9100},
			Probe: zpl.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return zpl.NewAnalyzer(f, emit, &cfg.ZPL)
			},
		},
		{
			// DNS over TCP is found by port only: its length-prefixed header is
			// too easily mimicked by other binary protocols for a content probe.
			Name:  "dns",
			Ports: []uint16{53},
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return dns.NewAnalyzer(f, emit, &cfg.DNS)
			},
			UDPPorts: []uint16{53, 5353},
			NewDatagram: func(f *app.Flow, emit app.Emitter, cfg *Config) app.DatagramAnalyzer {
				return dns.NewDatagramAnalyzer(f, emit, &cfg.DNS)
			},
		},
		{
			// Clear-text logins: FTP, Telnet, SMTP, POP3, IMAP by port or greeting
			// (messages carry the protocol's own name), SNMP communities over UDP.
			Name:  "creds",
			Ports: slices.Sorted(maps.Keys(creds.Ports)),
			Probe: creds.Probe,
			New: func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
				return creds.NewAnalyzer(f, emit, &cfg.Creds)
			},
			UDPPorts: creds.SNMPPorts,
			NewDatagram: func(f *app.Flow, emit app.Emitter, cfg *Config) app.DatagramAnalyzer {
				return creds.NewDatagramAnalyzer(f, emit, &cfg.Creds)
			},
		},
		{
			Name:     "dhcp",
			UDPPorts: []uint16{67, 68},
			NewDatagram: func(f *app.Flow, emit app.Emitter, cfg *Config) app.DatagramAnalyzer {
				return dhcp.NewDatagramAnalyzer(f, emit, &cfg.DHCP)
			},
		},
	}
}

// fallback analyses TCP flows that no protocol claimed: the clear-text PHI scanner.
func fallback(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer {
	return phiscan.NewAnalyzer(f, emit, &cfg.PHIScan)
}
