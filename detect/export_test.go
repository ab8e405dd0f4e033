package detect

import (
	"net/netip"
	"time"
)

// WrapBaselineForTest wraps a JSON body in a valid baseline envelope (for the
// fuzz target of the body checks).
func WrapBaselineForTest(body []byte) []byte {
	return wrapBody(body)
}

// WrapBaselineVersionForTest wraps a JSON body in an envelope of another
// format version (for the loader's compatibility tests).
func WrapBaselineVersionForTest(body []byte, version int) []byte {
	return wrapVersion(body, version)
}

// SetMinSaveWallForTest lets tests save periodically without waiting.
func SetMinSaveWallForTest(d time.Duration) (restore func()) {
	old := minSaveWall
	minSaveWall = d
	return func() { minSaveWall = old }
}

// ModelledForTest tells whether detection keeps a model of address a.
func (e *Engine) ModelledForTest(a netip.Addr) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.m.devices[a.Unmap()] != nil
}
