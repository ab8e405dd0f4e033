// Package pattern compiles the configurable regular expressions of protocol
// packages (MRN, accession number) once per process.
package pattern

import (
	"regexp"
	"sync"
)

// cache keeps compiled patterns: every flow's analyzer normalizes its config,
// and compiling per flow would cost more than the flow's parsing.
var cache sync.Map // string → *regexp.Regexp

// Compile returns pattern compiled, from the cache. An empty pattern, or one
// that does not compile, gives fallback instead; nil when fallback does not
// compile either (a config's Valid reports the bad pattern, never its text).
func Compile(pattern, fallback string) *regexp.Regexp {
	if pattern == "" {
		pattern = fallback
	}
	if re, ok := cache.Load(pattern); ok {
		return re.(*regexp.Regexp)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		if pattern == fallback {
			return nil
		}
		return Compile(fallback, fallback)
	}
	cache.Store(pattern, re)
	return re
}
