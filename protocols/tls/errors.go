package tls

import "errors"

// Sentinel errors returned by ParseClientHello and ParseServerHello. Their text
// names the structure that failed, never its content.
var (
	ErrTruncated  = errors.New("tls: hello is shorter than its fields declare")
	ErrNotHello   = errors.New("tls: not a ClientHello or ServerHello")
	ErrBadVersion = errors.New("tls: hello version is not SSL 3.0 to TLS 1.3")
	ErrExtensions = errors.New("tls: extension block is malformed")
)

// Reason codes of the anomalies the analyzer reports. They are stable: metrics
// and the summary key on them.
const (
	ReasonBadRecord      = "bad_record"       // record header with an unknown type or version
	ReasonRecordTooLarge = "record_too_large" // record longer than MaxRecordBytes
	ReasonBadHandshake   = "bad_handshake"    // a hello that does not parse
	ReasonHelloTooLarge  = "hello_too_large"  // hello longer than MaxHelloBytes
	ReasonGapResync      = "gap_resync"       // bytes lost; parsing resumed at the next record header
	ReasonNoResync       = "no_resync"        // no record header within MaxResyncBytes after a gap
	ReasonNotTLS         = "not_tls"          // the first bytes of a direction are not a TLS record
	ReasonGaveUp         = "gave_up"          // too many violations: the rest of the flow is ignored
)

// Reasons that are reported but do not count toward giving up.
const (
	ReasonHeartbeatOverread = "heartbeat_overread" // clear-text heartbeat claiming more payload than it carries
	ReasonTruncatedHello    = "truncated_hello"    // the direction ended inside a hello
)
