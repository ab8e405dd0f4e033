package phiscan

import "errors"

// ErrBadPattern is returned by Config.Valid; it does not repeat the pattern, which
// a site may have written around a real identifier.
var ErrBadPattern = errors.New("phiscan: MRN pattern does not compile")

// Reason codes of the anomalies the package reports (app.Anomaly.Reason).
const (
	// ReasonScanLimit: a direction passed MaxBytesPerFlow; the rest is not scanned.
	ReasonScanLimit = "scan_limit"
)
