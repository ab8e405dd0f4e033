// Package hexdigit reads the ASCII hex digits that protocols write inline:
// ASTM frame checksums, ZPL ^FH escapes.
package hexdigit

// Is tells whether c is a hex digit, either case.
func Is(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

// Value is the value of hex digit c; c must satisfy Is.
func Value(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
