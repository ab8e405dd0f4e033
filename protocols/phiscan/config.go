package phiscan

import (
	"regexp"

	"labwatch/protocols/internal/caps"
	"labwatch/protocols/internal/pattern"
)

// Config bounds the scanner and sets the site's MRN format.
type Config struct {
	// MaxBytesPerFlow caps the bytes scanned per flow direction; past it the
	// direction's findings are reported and the rest is not read. Reason
	// scan_limit.
	MaxBytesPerFlow int `yaml:"max_bytes_per_flow"`
	// CarryBytes is how much of the end of one Data call is kept to be scanned
	// with the start of the next, so that a pattern split across segments is
	// still found. A pattern longer than this across a boundary may be missed.
	CarryBytes int `yaml:"carry_bytes"`
	// MaxKeywordHits caps the keyword hits (DOB, MRN) examined per Scan call,
	// which keeps a hostile "dobdobdob…" payload linear and cheap.
	MaxKeywordHits int `yaml:"max_keyword_hits"`
	// MRNPattern matches a medical record number in free text (Go regexp syntax,
	// linear time). The default wants an MRN caption before the number.
	MRNPattern string `yaml:"mrn_pattern"`
	// MRNKeywords are lower-case words one of which must appear before
	// MRNPattern is tried at all (a cheap prefilter); empty means always try.
	MRNKeywords []string `yaml:"mrn_keywords"`

	mrn *regexp.Regexp
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxBytesPerFlow: 64 << 10,
		CarryBytes:      512,
		MaxKeywordHits:  64,
		MRNPattern:      `(?i)(?:mrn|medical record (?:number|no\.?))["']?\s*[:#=]?\s*["']?[A-Z]{0,3}-?\d{5,12}\b`,
		MRNKeywords:     []string{"mrn", "medical record"},
	}
}

// normalized returns a copy of c with unset values replaced by their defaults
// and the pattern compiled (an invalid pattern falls back to the default; Valid
// reports it).
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxBytesPerFlow, d.MaxBytesPerFlow)
		caps.Default(&n.CarryBytes, d.CarryBytes)
		caps.Default(&n.MaxKeywordHits, d.MaxKeywordHits)
		if n.MRNPattern == "" {
			n.MRNPattern, n.MRNKeywords = d.MRNPattern, d.MRNKeywords
		}
		n.mrn = pattern.Compile(n.MRNPattern, d.MRNPattern)
	})
}

// Valid reports an MRN pattern that does not compile.
func (c *Config) Valid() error {
	if c.MRNPattern == "" {
		return nil
	}
	if _, err := regexp.Compile(c.MRNPattern); err != nil {
		return ErrBadPattern
	}
	return nil
}
