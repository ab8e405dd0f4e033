package zpl

import "errors"

// ErrBadPattern is returned by Config.Valid; it names no pattern text, which a
// site may have written with an example identifier in it.
var ErrBadPattern = errors.New("zpl: MRN or accession pattern does not compile")

// Reason codes of the anomalies the package reports (app.Anomaly.Reason). They are
// stable: detection, metrics and the summary key on them.
const (
	ReasonFieldTooLarge    = "field_too_large"    // field data past MaxFieldBytes; the rest is not classified
	ReasonLabelTooLarge    = "label_too_large"    // format or EPL job past MaxLabelBytes; dropped
	ReasonLineTooLarge     = "line_too_large"     // EPL line past MaxLineBytes
	ReasonResponseTooLarge = "response_too_large" // printer response frame past MaxResponseBytes
	ReasonUnterminated     = "unterminated_label" // ^XA (or N) again, or the stream ended, before ^XZ (or P)
	ReasonNotZPL           = "not_zpl"            // binary bytes where a command or EPL line was due
	ReasonGapResync        = "gap_resync"         // bytes lost in capture; resumed at the next ^XA or N
	ReasonGaveUp           = "gave_up"            // too many violations: the rest of the flow is ignored
)
