package prototest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"labwatch/protocols/app"
)

// CheckProbe runs probe on every row of a probe table (the first bytes of a
// direction and what the probe must answer), each as a subtest named after
// the row. The rows are an unnamed struct so that tables stay unkeyed.
func CheckProbe[T ~string | ~[]byte](t *testing.T, probe func([]byte) app.ProbeResult, rows []struct {
	Name string
	In   T
	Want app.ProbeResult
}) {
	t.Helper()
	for _, tc := range rows {
		t.Run(tc.Name, func(t *testing.T) {
			assert.Equal(t, tc.Want, probe([]byte(tc.In)))
		})
	}
}
