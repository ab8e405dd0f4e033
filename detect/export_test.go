package detect

import "time"

// WrapBaselineForTest wraps a JSON body in a valid baseline envelope (for the
// fuzz target of the body checks).
func WrapBaselineForTest(body []byte) []byte {
	return wrapBody(body)
}

// SetMinSaveWallForTest lets tests save periodically without waiting.
func SetMinSaveWallForTest(d time.Duration) (restore func()) {
	old := minSaveWall
	minSaveWall = d
	return func() { minSaveWall = old }
}
