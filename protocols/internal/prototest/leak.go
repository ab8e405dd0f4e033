package prototest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// AssertNoneOf checks that text carries none of the planted values (fictional
// patient values fed to the package under test).
func AssertNoneOf(t testing.TB, text string, planted []string, msgAndArgs ...any) bool {
	t.Helper()
	ok := true
	for _, v := range planted {
		ok = assert.NotContains(t, text, v, msgAndArgs...) && ok
	}
	return ok
}
