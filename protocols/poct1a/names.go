package poct1a

import "labwatch/protocols/app"

// maxNameBytes bounds a message (root element) name: "DTV.VENDOR.R01" and
// the like are far shorter.
const maxNameBytes = 48

// isMessageName tells whether a root element name is a POCT1-A message: a
// three-letter topic in capitals, optional vendor segments, and a trigger
// "R" plus two digits, dot-separated (HEL.R01, OBS.R02, DTV.ROCHE.R01).
func isMessageName(name []byte) bool {
	if len(name) < 7 || len(name) > maxNameBytes {
		return false
	}
	for i := 0; i < 3; i++ {
		if !isUpper(name[i]) {
			return false
		}
	}
	if name[3] != '.' {
		return false
	}
	n := len(name)
	if name[n-4] != '.' || name[n-3] != 'R' || !isDigit(name[n-2]) || !isDigit(name[n-1]) {
		return false
	}
	if n == 7 {
		return true
	}
	// Vendor segments between topic and trigger: capitals, digits, '_'.
	seg := 0
	for _, c := range name[4 : n-4] {
		switch {
		case c == '.':
			if seg == 0 {
				return false
			}
			seg = 0
		case isUpper(c) || isDigit(c) || c == '_':
			seg++
		default:
			return false
		}
	}
	return seg > 0
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isNameChar accepts the ASCII subset of XML name characters; other bytes end
// a name (a non-ASCII name is never a POCT1-A root).
func isNameChar(c byte) bool {
	return isUpper(c) || c >= 'a' && c <= 'z' || isDigit(c) || c == '.' || c == '_' || c == '-' || c == ':'
}

// messageStart judges whether b, starting with '<', opens a POCT1-A message:
// an XML declaration ("<?xml ") or a start tag with a message name. It is
// used by Probe and by resynchronisation.
func messageStart(b []byte) app.ProbeResult {
	const decl = "<?xml"
	if len(b) == 0 {
		return app.NeedMore
	}
	if b[0] != '<' {
		return app.NoMatch
	}
	if len(b) > 1 && b[1] == '?' {
		for i := 2; i < len(decl); i++ {
			if i == len(b) {
				return app.NeedMore
			}
			if b[i] != decl[i] {
				return app.NoMatch
			}
		}
		if len(b) == len(decl) {
			return app.NeedMore
		}
		if isSpace(b[len(decl)]) {
			return app.Match
		}
		return app.NoMatch
	}
	for i := 1; i < len(b); i++ {
		c := b[i]
		if isNameChar(c) {
			if i > maxNameBytes {
				return app.NoMatch
			}
			continue
		}
		if (isSpace(c) || c == '>' || c == '/') && isMessageName(b[1:i]) {
			return app.Match
		}
		return app.NoMatch
	}
	return app.NeedMore
}
