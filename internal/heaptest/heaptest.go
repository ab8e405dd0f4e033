// Package heaptest measures heap growth in tests that must show memory stays
// under a cap (hostile traffic, floods).
package heaptest

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Inuse returns the heap in use after a collection.
func Inuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// AssertGrowth asserts that the heap in use grew less than bound since before
// (an Inuse reading), and logs the figure measured.
func AssertGrowth(t testing.TB, before, bound uint64, what string) {
	t.Helper()
	grown := int64(Inuse()) - int64(before)
	t.Logf("%s: heap in use grew %.1f MiB (bound %.1f MiB)", what, float64(grown)/(1<<20), float64(bound)/(1<<20))
	assert.Less(t, grown, int64(bound), "%s: heap growth", what)
}
