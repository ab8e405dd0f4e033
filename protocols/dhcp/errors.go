package dhcp

import "errors"

// Sentinel errors returned by Parse. They name the part that failed, never bytes.
var (
	ErrShort          = errors.New("dhcp: message shorter than the 236-byte BOOTP header")
	ErrBadHeader      = errors.New("dhcp: op, hardware type or address length out of range")
	ErrBadOption      = errors.New("dhcp: an option runs past the end of its area")
	ErrTooManyOptions = errors.New("dhcp: more options than MaxOptions")
)

// Reason codes of the anomalies the package reports (app.Anomaly.Reason). They are
// stable: detection, metrics and the summary key on them.
const (
	ReasonBadHeader      = "bad_header"       // too short, or op / htype / hlen out of range
	ReasonBadOption      = "bad_option"       // an option's length runs past its area, or no END
	ReasonTooManyOptions = "too_many_options" // options past MaxOptions, not read
	ReasonGaveUp         = "gave_up"          // too many malformed messages: the rest of the flow is ignored
)

func reasonOf(err error) string {
	switch err {
	case ErrShort, ErrBadHeader:
		return ReasonBadHeader
	case ErrTooManyOptions:
		return ReasonTooManyOptions
	}
	return ReasonBadOption
}
