// Package app holds the small vocabulary shared by the capture layer, every protocol
// analyzer and detection: the stream-analyzer shape (data, gap, end, expire), the flow
// identity handed to analyzers, and the events analyzers emit.
//
// Events carry which patient identifiers were seen (PHI kinds and the fields they came
// from), never their values. Strings in events are owned copies: an emitter may keep
// them after the analyzer returns.
package app

import (
	"net/netip"
	"time"
)

// Direction of bytes within a flow, relative to the side that opened it.
type Direction uint8

const (
	// ClientToServer is data sent by the initiator (the SYN sender, or the first
	// datagram's sender).
	ClientToServer Direction = 0
	// ServerToClient is data sent by the responder.
	ServerToClient Direction = 1
)

// Reverse returns the other direction.
func (d Direction) Reverse() Direction { return d ^ 1 }

func (d Direction) String() string {
	if d == ClientToServer {
		return "c2s"
	}
	return "s2c"
}

// Transport is the layer-4 protocol of a flow.
type Transport uint8

const (
	TCP Transport = 6
	UDP Transport = 17
)

func (t Transport) String() string {
	switch t {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	}
	return "other"
}

// Flow identifies one connection (or UDP conversation) to analyzers and detection.
// It is created once per flow by the capture layer and never mutated by analyzers.
type Flow struct {
	ID        uint64
	Transport Transport
	Client    netip.AddrPort // initiator
	Server    netip.AddrPort // responder
	Start     time.Time
	// Encrypted is set by the protocol layer once the flow is known to carry TLS (or
	// another encrypted protocol); PHI findings never come from encrypted flows.
	Encrypted bool
}

// Src returns the sender of bytes travelling in direction d.
func (f *Flow) Src(d Direction) netip.AddrPort {
	if d == ClientToServer {
		return f.Client
	}
	return f.Server
}

// Dst returns the receiver of bytes travelling in direction d.
func (f *Flow) Dst(d Direction) netip.AddrPort {
	if d == ClientToServer {
		return f.Server
	}
	return f.Client
}

// Analyzer consumes the reassembled byte stream of one TCP connection, both
// directions, in order. It is the shape Zeek, packetbeat and Suricata analyzers share.
//
// Data must not keep a reference to data after it returns: the slice points into
// capture buffers that are reused. An analyzer that needs bytes across calls (a
// message split over segments) copies them into a buffer of its own, bounded by its
// config. Calls for one flow come from one goroutine; analyzers need no locks.
type Analyzer interface {
	// Data delivers the next in-order bytes of direction dir, captured at ts.
	Data(dir Direction, data []byte, ts time.Time)
	// Gap reports that n bytes of direction dir were lost (never captured); the next
	// Data call continues after them. n < 0 means an unknown amount.
	Gap(dir Direction, n int)
	// End reports that direction dir was closed (FIN or RST).
	End(dir Direction)
	// Expire reports that the flow is gone (idle timeout, eviction, end of input);
	// no call follows. Analyzers flush what they can and report incomplete data.
	Expire()
}

// DatagramAnalyzer consumes the payloads of a UDP flow, one datagram per call.
type DatagramAnalyzer interface {
	Datagram(dir Direction, payload []byte, ts time.Time)
}

// Emitter receives what analyzers find. Implementations must be cheap: they are
// called from the packet path.
type Emitter interface {
	// Message reports one complete, well-formed application message.
	Message(m *Message)
	// Anomaly reports a parse error, a framing or checksum error, or any protocol
	// violation. Reason is a short stable code ("bad_checksum", "msg_too_large").
	Anomaly(a *Anomaly)
}

// Message is one application message, summarised for detection. The analyzer fills
// it and passes a pointer; the emitter copies what it keeps before returning, so an
// analyzer may reuse one Message value.
type Message struct {
	App  string // registry name: "hl7", "astm", "poct1a", "dicom", "zpl", ...
	Type string // summary key, e.g. "ORU^R01", "ACK", "result", "OBS.R01", "label"

	Flow *Flow
	Dir  Direction
	TS   time.Time

	// Identity of the communicating applications or devices, never of a patient:
	// HL7 MSH-3^MSH-4 / MSH-5^MSH-6, the ASTM H-record sender and receiver, a POCT
	// device, DICOM AE titles.
	Sender   string
	Receiver string
	// Device is a device identifier the message reveals (model, serial, UDI) for the
	// inventory; Software is a software or firmware version.
	Device   string
	Software string
	// Version is the protocol version the message declares (HL7 MSH-12, ASTM H-13).
	Version string
	// ControlID correlates requests with acknowledgements (HL7 MSH-10 / MSA-2).
	ControlID string
	// Ack is the acknowledgement code when this message is an acknowledgement
	// (HL7 MSA-1: AA, AE, AR, CA, CE, CR); AckLatency is the time since the message
	// it acknowledges, when that was seen.
	Ack        string
	AckLatency time.Duration

	Results int // results carried (HL7 OBX, ASTM R records, POCT observations)
	Orders  int // orders carried (HL7 ORC/OBR, ASTM O records)
	Queries int // queries carried (HL7 QRD/QPD, ASTM Q records)

	// PHI is the set of patient-identifier kinds present; PHIFields names the fields
	// they came from ("PID-5", "ASTM P-6"). Values are never reported.
	PHI       PHISet
	PHIFields []string

	// Counts holds protocol-specific tallies (segment or record counts, OBX value
	// types, NAKs, retries). Keys are fixed field names, never message content.
	Counts map[string]int

	// Attrs holds protocol-specific attributes under fixed keys whose values are
	// never patient data: TLS "sni", "alpn", "ja4", "version", "cipher"; DICOM
	// "calling_ae", "called_ae", "sop_class"; HTTP "method", "host", "status",
	// "user_agent", "fhir_resource"; credentials "user_hash" (KeyedHash, never
	// the name itself), "auth" (the mechanism).
	Attrs map[string]string

	Bytes int // size of the message on the wire
}

// Anomaly is a protocol error or violation seen on a flow.
type Anomaly struct {
	App    string
	Reason string // stable code, used as a metric label and summary key
	Flow   *Flow
	Dir    Direction
	TS     time.Time
	// Detail is a short human explanation. It must never contain message content
	// that could be patient data: say "segment PID field 5 too long", not the value.
	Detail string
	// GaveUp is set when the analyzer stops parsing the flow after repeated
	// violations; it is reported once per flow.
	GaveUp bool
}

// ProbeResult is the answer of a content probe that decides whether a stream carries
// a protocol.
type ProbeResult uint8

const (
	NoMatch  ProbeResult = iota // the bytes are not this protocol
	NeedMore                    // too few bytes to tell
	Match                       // the bytes look like this protocol
)
