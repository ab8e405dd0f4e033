package trail

// MaxLineBytes caps one alert line read by Verify. Alerts are small (a summary
// and bounded details); a longer line is reported as line_too_long rather than
// buffered.
const MaxLineBytes = 1 << 20

// headFormat names the head state file's format and version.
const (
	headFormat  = "labwatch-trail-head"
	headVersion = 1
)
