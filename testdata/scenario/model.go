package scenario

import (
	"net/netip"
	"time"

	"labwatch/protocols/app"
)

// Kind is the kind of an event.
type Kind uint8

const (
	FlowStart Kind = iota
	FlowEnd
	Message
	Anomaly
)

// Event is one detection input. Flow is set for every kind; Msg for Message;
// Anom for Anomaly; Packets and Bytes (per app.Direction) for FlowEnd.
type Event struct {
	Kind    Kind
	TS      time.Time
	Flow    *app.Flow
	Msg     *app.Message
	Anom    *app.Anomaly
	Packets [2]uint64
	Bytes   [2]uint64
}

// Truth is one injected anomaly: an alert of Type about Device is expected
// between From and To. Optional entries (side effects of an injection, such as
// the new_peer a scan also causes) are not required, but an alert matching
// them is not a false alarm.
type Truth struct {
	Type     string    `json:"type"`
	Device   string    `json:"device"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Optional bool      `json:"optional,omitempty"`
	Note     string    `json:"note"`
}

// Scenario is a generated run.
type Scenario struct {
	Start  time.Time
	End    time.Time
	Learn  time.Duration
	Events []Event
	Truth  []Truth
	// Benign lists the benign novelty injected (for the report).
	Benign []string
	// Planted lists fictional patient values the generator pretends messages
	// carried; tests check that none of them reaches an alert.
	Planted []string
}

// role of a simulated device, which decides its traffic.
type role uint8

const (
	roleLIS role = iota
	roleEngine
	roleDMS
	roleWeb
	roleDNS
	rolePrinter
	roleHL7Analyzer
	roleASTMAnalyzer
	rolePOCT
	roleWorkstation
)

type device struct {
	addr   netip.Addr
	role   role
	name   string
	rate   float64 // messages per hour at the daily peak
	allDay bool    // works nights (core analyzers) rather than day shifts only
}
