package zpl

import (
	"bytes"
	"regexp"
)

// fieldClass is what one field's data looks like. The data itself is never kept
// past classification.
type fieldClass uint8

const (
	className      fieldClass = 1 << iota // "LAST, FIRST" or "LAST^FIRST"
	classBirthDate                        // a date next to a DOB keyword
	classMRN                              // a token matching Config.MRNPattern
	classAccession                        // a token matching Config.AccessionPattern
	classTemplate                         // a placeholder (${x}, {{x}}); never PHI
	classDOBLabel                         // a bare "DOB:" caption; the next field's date is a birth date
)

// These patterns are Go regexps (RE2: linear time, no backtracking) applied to
// one bounded field at a time.
var (
	// A name field: optional caption, one or two words, a comma or caret, one
	// word and an optional middle name or initial. Nothing else on the field.
	nameRE = regexp.MustCompile(`^(?:(?i:name|patient|pt)\s*:\s*)?` +
		`\p{L}[\p{L}'\-]+(?:\s\p{L}[\p{L}'\-]+)?(?:\s*,\s*|\^)\p{L}[\p{L}'\-]+(?:[\s^]\p{L}[\p{L}'\-.]*)?$`)
	dateRE = regexp.MustCompile(`\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2}\b|` +
		`\b(?:19|20)\d{2}[\-/]\d{2}[\-/]\d{2}\b|` +
		`(?i)\b\d{1,2}[ \-]?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[ \-,]*(?:19|20)\d{2}\b|` +
		`\b(?:19|20)\d{6}\b`)
	dobKeywordRE = regexp.MustCompile(`(?i)(?:\bdob\b|\bd\.o\.b\b|\bbirth|\bborn\b|\bgeb\b|\bgeb\.|\bDDN\b)`)
	dobCaptionRE = regexp.MustCompile(`(?i)^\s*(?:dob|d\.o\.b\.?|birth ?date|date of birth|born|geb\.?)\s*:?\s*$`)
	mrnCaptionRE = regexp.MustCompile(`(?i)^(?:mrn|mr|mr#|mrn#|med ?rec)[:#]?$`)
	templateMark = [][]byte{[]byte("${"), []byte("{{"), []byte("<%"), []byte("[[")}
)

// classify tells what the data of one field looks like. barcode is set for the
// field of a barcode command, whose whole content is one identifier; afterDOB
// when the previous field was a bare DOB caption.
func classify(data []byte, barcode, afterDOB bool, cfg *Config) fieldClass {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return 0
	}
	for _, m := range templateMark {
		if bytes.Contains(data, m) {
			return classTemplate
		}
	}
	if barcode {
		return tokenClass(data, cfg)
	}
	// Cheap byte counts decide which regexps can match at all: the regexps are
	// linear but not free, and most label fields are short captions or codes.
	digits, separators, hints := 0, 0, 0
	for _, c := range data {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == ',' || c == '^':
			separators++
		case c|0x20 == 'd' || c|0x20 == 'b' || c|0x20 == 'g':
			hints++
		}
	}
	if digits == 0 && hints > 0 && len(data) <= 20 && dobCaptionRE.Match(data) {
		return classDOBLabel
	}
	var c fieldClass
	if digits == 0 && separators > 0 && nameRE.Match(data) {
		c |= className
	}
	if digits >= 6 && (afterDOB || (hints > 0 && dobKeywordRE.Match(data))) && dateRE.Match(data) {
		c |= classBirthDate
	}
	if digits >= 5 {
		c |= tokensClass(data, cfg)
	}
	return c
}

// tokensClass looks at each space-separated token of a text field; a caption
// such as "MRN:" followed by a number counts the number as an MRN.
func tokensClass(data []byte, cfg *Config) fieldClass {
	var c fieldClass
	caption := false
	for len(data) > 0 {
		i := bytes.IndexAny(data, " \t")
		tok := data
		if i >= 0 {
			tok, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		tok = bytes.Trim(tok, "(),;[]")
		if len(tok) == 0 {
			continue
		}
		if caption && allDigits(tok) && len(tok) >= 5 {
			c |= classMRN
		}
		caption = len(tok) <= 8 && tok[0]|0x20 == 'm' && mrnCaptionRE.Match(tok)
		if len(tok) >= 5 && hasDigit(tok) {
			c |= tokenClass(tok, cfg)
		}
	}
	return c
}

// tokenClass matches one whole token against the site's identifier patterns.
func tokenClass(tok []byte, cfg *Config) fieldClass {
	switch {
	case cfg.mrn != nil && cfg.mrn.Match(tok):
		return classMRN
	case cfg.accession != nil && cfg.accession.Match(tok):
		return classAccession
	}
	return 0
}

func hasDigit(b []byte) bool {
	for _, c := range b {
		if c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
