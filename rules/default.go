package rules

import (
	_ "embed"
	"fmt"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the text of the default rule set, for documentation and for
// users who start their own file from it.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Default compiles the default rule set shipped inside the binary. Each call
// returns a new Set with its own counters.
func Default() *Set {
	s, err := Parse(defaultYAML, "default.yaml")
	if err != nil {
		// The file is part of the build and tested; failing here is a build bug.
		panic(fmt.Sprintf("rules: default rule set: %v", err))
	}
	return s
}
