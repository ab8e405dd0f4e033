package dns

import "errors"

// Sentinel errors returned by Parse. They name the part that failed, never the
// bytes.
var (
	ErrShortHeader   = errors.New("dns: message shorter than the 12-byte header")
	ErrNoQuestion    = errors.New("dns: message has no question")
	ErrTruncated     = errors.New("dns: a record runs past the end of the message")
	ErrBadName       = errors.New("dns: malformed name")
	ErrNameLoop      = errors.New("dns: compression pointer loop or forward pointer")
	ErrNameTooLong   = errors.New("dns: name longer than 255 bytes")
	ErrTooManyRecord = errors.New("dns: more records than MaxRecords")
)

// Reason codes of the anomalies the package reports (app.Anomaly.Reason). They are
// stable: detection, metrics and the summary key on them.
const (
	ReasonBadHeader      = "bad_header"       // shorter than 12 bytes, or no question
	ReasonBadName        = "bad_name"         // label or name too long, bad label type, pointer loop
	ReasonTruncated      = "truncated"        // the counts promise more records than the bytes hold
	ReasonTooManyRecords = "too_many_records" // records past MaxRecords, not walked
	ReasonMsgTooLarge    = "msg_too_large"    // TCP message longer than MaxMessageBytes, skipped
	ReasonGapResync      = "gap_resync"       // bytes lost on a TCP flow: the direction is no longer parsed
	ReasonGaveUp         = "gave_up"          // too many malformed messages: the rest of the flow is ignored
)

// reasonOf maps a Parse error to its reason code.
func reasonOf(err error) string {
	switch err {
	case ErrShortHeader, ErrNoQuestion:
		return ReasonBadHeader
	case ErrBadName, ErrNameLoop, ErrNameTooLong:
		return ReasonBadName
	case ErrTooManyRecord:
		return ReasonTooManyRecords
	}
	return ReasonTruncated
}
