package hl7

import "errors"

// Reason codes are the stable names of everything the analyzer reports as an
// app.Anomaly. They are metric labels and summary keys: never rename one.
const (
	// Framing (MLLP and raw streams).
	ReasonBadMLLPFraming  = "bad_mllp_framing"  // end block without CR, several messages in one frame
	ReasonStrayBytes      = "stray_bytes"       // non-whitespace bytes between frames or records
	ReasonMissingEndBlock = "missing_end_block" // frame closed by a new start block or by the end of the stream
	ReasonMsgTooLarge     = "msg_too_large"     // message longer than Config.MaxMessageBytes; its head is parsed
	ReasonGapResync       = "gap_resync"        // bytes lost in capture; parsing resumed at the next message start

	// Message structure (fatal: the message is not emitted).
	ReasonBadMSH        = "bad_msh"         // no MSH, or MSH-1/MSH-2 separators unusable
	ReasonMissingMSH9   = "missing_msh9"    // MSH-9 message type empty
	ReasonBadMSH9       = "bad_msh9"        // MSH-9 type not 3 letters/digits (fatal) or event malformed (warning)
	ReasonBadEncoding   = "bad_encoding"    // UTF-16 content of odd length
	ReasonOrphanSegment = "orphan_segments" // segments outside any message (after FHS/BHS, before MSH)
	ReasonBadBatch      = "bad_batch"       // FHS/BHS/BTS/FTS out of order or counts that do not match

	// Message structure (warnings: the message is emitted and the anomaly reported).
	ReasonTooManySegments = "too_many_segments" // more than Config.MaxSegments; the rest is skipped
	ReasonBadSegmentID    = "bad_segment_id"    // a segment whose id is not 3 upper-case letters/digits
	ReasonControlChars    = "control_chars"     // control bytes other than CR, LF and TAB inside the message
	ReasonMissingMSH10    = "missing_msh10"     // no control ID: acknowledgements cannot be matched
	ReasonBadVersion      = "bad_version"       // MSH-12 is not a 2.x version
	ReasonMissingMSA      = "missing_msa"       // an ACK without MSA
	ReasonBadAckCode      = "bad_ack_code"      // MSA-1 is not AA, AE, AR, CA, CE or CR

	// Acknowledgement correlation.
	ReasonAckMissing   = "ack_missing"    // no acknowledgement within Config.AckTimeout (capture time)
	ReasonAckUnmatched = "ack_unmatched"  // an acknowledgement whose MSA-2 matches no message seen
	ReasonAckTableFull = "ack_table_full" // Config.MaxPendingAcks reached; the oldest entry was dropped

	// Flow-level limits.
	ReasonAnomalyLimit = "anomaly_limit" // Config.MaxAnomaliesPerFlow reached; later anomalies are only counted
	ReasonGaveUp       = "gave_up"       // parsing stopped after repeated violations (GaveUp is set)
)

// Error is a parse error with a reason code. Its text never contains message
// content: only reason, segment and field positions.
type Error struct {
	Reason string
	text   string
}

func (e *Error) Error() string { return e.text }

// Sentinel errors returned by ParseMessage; compare with errors.Is.
var (
	ErrEmpty         = &Error{ReasonBadMSH, "hl7: empty message"}
	ErrNoMSH         = &Error{ReasonBadMSH, "hl7: message does not start with an MSH segment"}
	ErrBadSeparators = &Error{ReasonBadMSH, "hl7: MSH-1/MSH-2 separators are not usable"}
	ErrMissingType   = &Error{ReasonMissingMSH9, "hl7: MSH-9 message type is empty"}
	ErrBadType       = &Error{ReasonBadMSH9, "hl7: MSH-9 message type is not three letters or digits"}
	ErrBadUTF16      = &Error{ReasonBadEncoding, "hl7: UTF-16 content does not decode"}
	ErrNoBatchHeader = &Error{ReasonBadBatch, "hl7: segment is not FHS or BHS"}
)

// ReasonOf returns the reason code of an error from this package, or "" for
// nil and for foreign errors.
func ReasonOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
