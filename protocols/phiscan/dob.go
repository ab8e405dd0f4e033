package phiscan

import (
	"regexp"

	"labwatch/protocols/app"
)

// After a DOB keyword, at most valueGap bytes of key remainder and punctuation
// may come before the date; a name-like field must lie within nameWindow bytes
// on either side.
const (
	valueGap   = 20
	nameWindow = 256
)

var (
	// A calendar date with a four-digit year (19xx or 20xx), in the forms birth
	// dates are written: 1945-03-12, 03/12/1945, 12.03.1945, 12 Mar 1945,
	// 19450312. Anchored: it must start where the keyword's value starts.
	dateAtRE = regexp.MustCompile(`^(?:(?:19|20)\d\d[-/]?[01]\d[-/]?[0-3]\d|[0-3]?\d[/.\-][0-3]?\d[/.\-](?:19|20)\d\d|` +
		`[0-3]?\d[ \-](?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[ \-,]*(?:19|20)\d\d)\b`)
	// A name-like field: a key naming a person's name followed by a value of
	// letters, or an HL7-style LAST^FIRST.
	nameRE = regexp.MustCompile(`(?i:\b(?:patient_?name|pt_?name|patient|surname|family(?:_?name)?|given(?:_?name)?|` +
		`first_?name|last_?name|full_?name|name)["']?\s*[:=]\s*["']?\p{L}[\p{L}'\- ,^]{1,60})|` +
		`\b[A-Z][A-Z'\-]+\^[A-Z][A-Z'\-]+`)
)

// scanDOBNearName finds a DOB keyword whose value is a date, with a name-like
// field nearby: the combination identifies a person, where either alone (a date
// in a log, a "name" key in JSON) does not.
func scanDOBNearName(data []byte, cfg *Config, r *result) {
	hits := 0
	for i := 0; i < len(data) && hits < cfg.MaxKeywordHits; {
		at, n := nextDOBKeyword(data, i)
		if at < 0 {
			return
		}
		hits++
		i = at + n
		v := valueStart(data, i)
		if v < 0 || !dateAtRE.Match(data[v:min(len(data), v+32)]) {
			continue
		}
		around := data[max(0, at-nameWindow):min(len(data), i+nameWindow)]
		if nameRE.Match(around) {
			r.add(foundDOBName, app.PHIBirthDate, app.PHIName)
			return
		}
	}
}

// valueStart skips, from i, the rest of a key and the punctuation before its
// value (letters, '_', quotes, ':', '=', blanks, '-'), at most valueGap bytes,
// and returns where a digit starts, or -1.
func valueStart(data []byte, i int) int {
	for k := i; k < len(data) && k <= i+valueGap; k++ {
		c := data[k]
		switch {
		case c >= '0' && c <= '9':
			return k
		case isLetter(c), c == '_', c == '"', c == '\'', c == ':', c == '=', c == ' ', c == '\t', c == '-', c == '>':
		default:
			return -1
		}
	}
	return -1
}

// dobKeywords are the keywords, lower case, that name a birth date; each must
// start a word.
var dobKeywords = [...]string{"dob", "d.o.b", "date of birth", "birthdate", "birth_date", "birth-date", "birth date", "birth_dt"}

// nextDOBKeyword finds, from i, the next DOB keyword starting a word,
// case-insensitively; "dob" must also end one. It returns the position and the
// keyword's length, or -1.
func nextDOBKeyword(data []byte, i int) (int, int) {
	for ; i < len(data); i++ {
		c := data[i] | 0x20
		if c != 'd' && c != 'b' {
			continue
		}
		if i > 0 && isLetter(data[i-1]) {
			continue
		}
		rest := data[i:]
		for _, k := range dobKeywords {
			if !hasFoldPrefix(rest, k) {
				continue
			}
			if k == "dob" && len(rest) > 3 && isLetter(rest[3]) {
				continue
			}
			return i, len(k)
		}
	}
	return -1, 0
}

// hasFoldPrefix tells whether b starts with the lower-case ASCII word w, in any
// case.
func hasFoldPrefix(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for k := 0; k < len(w); k++ {
		if b[k]|0x20 != w[k] {
			return false
		}
	}
	return true
}

// containsFold tells whether b holds the lower-case ASCII word w in any case.
func containsFold(b []byte, w string) bool {
	if len(w) == 0 {
		return true
	}
	for i := 0; i+len(w) <= len(b); i++ {
		if b[i]|0x20 == w[0] && hasFoldPrefix(b[i:], w) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { c |= 0x20; return c >= 'a' && c <= 'z' }
