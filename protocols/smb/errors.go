package smb

// Reason codes of anomalies.
const (
	ReasonBadFrame = "bad_frame"
	ReasonGaveUp   = "gave_up"
)
