package ssh

// Reason codes of anomalies.
const (
	ReasonBadBanner = "bad_banner"
	ReasonGaveUp    = "gave_up"
)
