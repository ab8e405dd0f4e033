// Package caps fills in the caps of a protocol package's Config: a zero or
// negative cap means "unset" and takes its default, so a zero Config, or a
// nil one, is usable.
package caps

// Normalized returns a copy of *c, or of def when c is nil, after fill has
// replaced its unset values with those of def.
func Normalized[C any](c *C, def C, fill func(n, def *C)) C {
	n := def
	if c != nil {
		n = *c
	}
	fill(&n, &def)
	return n
}

// Default replaces an unset (zero or negative) value with def.
func Default[T ~int | ~int64](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}
