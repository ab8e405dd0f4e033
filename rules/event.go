package rules

import (
	"net/netip"
	"strings"
	"time"

	"labwatch/detect"
	"labwatch/protocols/app"
)

// Event is the flat, typed view of one app.Message and its flow that rule
// expressions read. Field names are the expression vocabulary (see doc.go); none
// holds a patient value: identities are of applications and devices, PHI is a
// list of kinds.
type Event struct {
	TS        time.Time
	App       string // "hl7", "astm", "dicom", "tls", ...
	Type      string // the message summary key ("ORU^R01", "result", "A-ASSOCIATE-RQ")
	SrcIP     string
	DstIP     string
	SrcPort   int
	DstPort   int
	Transport string // "tcp", "udp"

	SrcName, SrcRole string // from the site's device list
	DstName, DstRole string
	SrcTrusted       bool // inside the site's trusted networks
	DstTrusted       bool

	HL7   HL7Info
	ASTM  ASTMInfo
	POCT  POCTInfo
	DICOM DICOMInfo
	TLS   TLSInfo

	PHI         []string // PHI kinds present ("name", "patient_id", ...)
	Credentials bool     // the message carried a login (user hash or auth mechanism)
	Encrypted   bool     // the flow is known to be encrypted
}

// HL7Info is filled when App is "hl7".
type HL7Info struct {
	Type            string // MSH-9.1 ("ORU", "ADT", "ACK")
	Event           string // MSH-9.2 ("R01"), empty for a bare ACK
	SendingApp      string // MSH-3
	SendingFacility string // MSH-4
	ReceivingApp    string // MSH-5
	Ack             string // MSA-1 of an acknowledgement (AA, AE, AR, ...)
}

// ASTMInfo is filled when App is "astm".
type ASTMInfo struct {
	Analyzer string // the H-record sender (device model when known)
	Kind     string // result, order, query, other
}

// POCTInfo is filled when App is "poct1a".
type POCTInfo struct {
	Device string
}

// DICOMInfo is filled when App is "dicom".
type DICOMInfo struct {
	CallingAE, CalledAE, SOPClass string
}

// TLSInfo is filled when App is "tls".
type TLSInfo struct {
	Version string // "ssl3", "tls1.0" ... "tls1.3"
	SNI     string
}

// SiteInfo describes an address from the site's configuration: its configured
// name and role, and whether it lies in the trusted networks.
type SiteInfo func(ip netip.Addr) (name, role string, trusted bool)

// SiteFromConfig answers SiteInfo from detection's configuration.
func SiteFromConfig(c *detect.Config) SiteInfo {
	return func(ip netip.Addr) (string, string, bool) {
		name, role := c.DeviceInfo(ip)
		return name, role, c.Trusted(ip)
	}
}

// Attrs keys the protocol analyzers set (app.Message.Attrs).
const (
	attrTLSVersion = "version"
	attrSNI        = "sni"
	attrCallingAE  = "calling_ae"
	attrCalledAE   = "called_ae"
	attrSOPClass   = "sop_class"
	attrUserHash   = "user_hash"
	attrAuth       = "auth"
)

// EventFrom builds the event of message m. site may be nil (no names, nothing
// trusted). It copies what it keeps, so m may be reused afterwards.
func EventFrom(m *app.Message, site SiteInfo) Event {
	ev := Event{TS: m.TS, App: m.App, Type: m.Type}
	if f := m.Flow; f != nil {
		src, dst := f.Src(m.Dir), f.Dst(m.Dir)
		ev.SrcIP, ev.SrcPort = addrString(src.Addr()), int(src.Port())
		ev.DstIP, ev.DstPort = addrString(dst.Addr()), int(dst.Port())
		ev.Transport = f.Transport.String()
		ev.Encrypted = f.Encrypted
		if site != nil {
			ev.SrcName, ev.SrcRole, ev.SrcTrusted = site(src.Addr().Unmap())
			ev.DstName, ev.DstRole, ev.DstTrusted = site(dst.Addr().Unmap())
		}
	}
	ev.PHI = phiKinds(m.PHI)
	ev.Credentials = m.Attrs[attrUserHash] != "" || m.Attrs[attrAuth] != ""
	switch m.App {
	case "hl7":
		ev.HL7 = hl7Info(m)
	case "astm":
		ev.ASTM = ASTMInfo{Analyzer: firstNonEmpty(m.Device, m.Sender), Kind: m.Type}
	case "poct1a":
		ev.POCT = POCTInfo{Device: firstNonEmpty(m.Device, m.Sender)}
	case "dicom":
		ev.DICOM = DICOMInfo{
			CallingAE: firstNonEmpty(m.Attrs[attrCallingAE], m.Sender),
			CalledAE:  firstNonEmpty(m.Attrs[attrCalledAE], m.Receiver),
			SOPClass:  m.Attrs[attrSOPClass],
		}
	case "tls":
		ev.TLS = TLSInfo{Version: m.Attrs[attrTLSVersion], SNI: m.Attrs[attrSNI]}
		ev.Encrypted = true
	}
	return ev
}

// hl7Info splits MSH-9 ("ORU^R01") and the sender and receiver ("APP^FAC").
func hl7Info(m *app.Message) HL7Info {
	var h HL7Info
	h.Type, h.Event, _ = strings.Cut(m.Type, "^")
	h.Event, _, _ = strings.Cut(h.Event, "^") // drop MSH-9.3, the message structure
	h.SendingApp, h.SendingFacility, _ = strings.Cut(m.Sender, "^")
	h.SendingFacility, _, _ = strings.Cut(h.SendingFacility, "^")
	h.ReceivingApp, _, _ = strings.Cut(m.Receiver, "^")
	h.Ack = m.Ack
	return h
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
