package creds

// Reason codes of the anomalies the analyzers report. They are stable: metrics
// and the summary key on them.
const (
	ReasonLineTooLong = "line_too_long" // a line past MaxLineBytes (violation)
	ReasonNotText     = "not_text"      // a line with NUL bytes on a text protocol (violation)
	ReasonBadPacket   = "bad_packet"    // an SNMP datagram whose BER does not parse (violation)
	ReasonGapResync   = "gap_resync"    // bytes lost; resumed at the next line
	ReasonGaveUp      = "gave_up"       // too many violations: the rest of the flow is ignored
)
