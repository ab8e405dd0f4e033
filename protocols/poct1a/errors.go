package poct1a

import "errors"

// Sentinel errors returned by Parse. Empty input is not an error.
var (
	// ErrNotPOCT means the root element is not a POCT1-A message name.
	ErrNotPOCT = errors.New("poct1a: root element is not a POCT1-A message")
	// ErrDTD means the message carries a document type declaration, which is
	// refused rather than processed (no entity expansion, ever).
	ErrDTD = errors.New("poct1a: document type declarations are refused")
	// ErrTooDeep means the message nests deeper than Config.MaxDepth.
	ErrTooDeep = errors.New("poct1a: message nests too deep")
	// ErrTooManyTokens means the message has more tokens than Config.MaxTokens.
	ErrTooManyTokens = errors.New("poct1a: too many XML tokens in one message")
	// ErrTooLarge means the message is longer than Config.MaxMessageBytes.
	ErrTooLarge = errors.New("poct1a: message too large")
	// ErrBadXML wraps a decoding error; its text names the line, never content.
	ErrBadXML = errors.New("poct1a: malformed XML")
)

// Reason codes of the anomalies the package reports (app.Anomaly.Reason). They
// are stable: detection, metrics and the summary key on them.
const (
	ReasonBadXML           = "bad_xml"           // the XML decoder refused the message (syntax, encoding, attributes)
	ReasonNotPOCT          = "not_poct"          // a well-formed XML document whose root is not a POCT1-A message
	ReasonDTD              = "dtd_refused"       // a <!DOCTYPE …> in the message: refused, never expanded
	ReasonTooDeep          = "too_deep"          // nesting past MaxDepth
	ReasonTooManyTokens    = "too_many_tokens"   // tokens past MaxTokens
	ReasonMessageTooLarge  = "message_too_large" // message past MaxMessageBytes
	ReasonFramingError     = "framing_error"     // bytes between messages that start none, or no message start in MaxResyncBytes
	ReasonMissingHeader    = "missing_header"    // a message without HDR.control_id (not a violation)
	ReasonTruncatedMessage = "truncated_message" // the stream closed or expired inside a message (not a violation)
	ReasonGapResync        = "gap_resync"        // bytes lost in capture; parsing resumed at the next message (not a violation)
	ReasonGaveUp           = "gave_up"           // too many violations: the rest of the flow is ignored
)
