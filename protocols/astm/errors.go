package astm

import "errors"

// Sentinel errors returned by ParseRecords. Empty input is not an error.
var (
	// ErrNotASTM means the input held bytes but not one LIS2-A2 record.
	ErrNotASTM = errors.New("astm: no LIS2-A2 record found")
	// ErrTooManyMessages means ParseRecords stopped at Config.MaxMessages.
	ErrTooManyMessages = errors.New("astm: too many messages in one input")

	errBadDelimiterText = errors.New("astm: delimiters must be four characters")
)

// Reason codes of the anomalies the package reports (app.Anomaly.Reason and
// Finding.Reason). They are stable: detection, metrics and the summary key on them.
const (
	// Low level (E1381 / LIS01-A2).
	ReasonBadChecksum    = "bad_checksum"     // frame checksum does not match its bytes
	ReasonBadFrameNumber = "bad_frame_number" // frame number out of sequence
	ReasonFramingError   = "framing_error"    // unterminated frame, bad trailer, bytes outside frames
	ReasonFrameTooLarge  = "frame_too_large"  // frame longer than MaxFrameBytes
	ReasonAbortedSession = "aborted_session"  // transmission ended (EOT, ENQ, close, expiry) inside a message
	ReasonTimeout        = "timeout"          // silence past FrameTimeout or a message past SessionTimeout
	ReasonGapResync      = "gap_resync"       // bytes lost in capture; parsing resumed at the next sync point

	// Records (E1394 / LIS2-A2).
	ReasonRecordTooLarge    = "record_too_large"   // record longer than MaxRecordBytes
	ReasonMessageTooLarge   = "message_too_large"  // message past MaxMessageBytes or MaxMessageRecords
	ReasonBadRecord         = "bad_record"         // a line that is not a record (no type letter + delimiter)
	ReasonBadDelimiters     = "bad_delimiters"     // H record declares unusable delimiters; defaults used
	ReasonMissingHeader     = "missing_header"     // records outside an H…L message
	ReasonMissingTerminator = "missing_terminator" // a new H (or the end of ParseRecords input) before L
	ReasonUnexpectedRecord  = "unexpected_record"  // unknown record type, or R before O, O before P

	// Flow.
	ReasonGaveUp = "gave_up" // too many violations: the rest of the flow is ignored
)
