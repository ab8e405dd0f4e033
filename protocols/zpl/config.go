package zpl

import (
	"regexp"

	"labwatch/protocols/internal/caps"
	"labwatch/protocols/internal/pattern"
)

// Config holds the analyzer's caps and the patterns that tell patient
// identifiers in label fields. Every buffer the package keeps is bounded by one of
// these; reaching a cap is reported as an anomaly with its own reason code.
type Config struct {
	// MaxFieldBytes caps the field data (^FD … , EPL quoted text) kept for
	// classification; the rest of a longer field is skipped. Reason field_too_large.
	MaxFieldBytes int `yaml:"max_field_bytes"`
	// MaxLabelBytes caps one format (^XA … ^XZ) or EPL job (N … P); a longer one
	// is dropped up to the next start. Graphics downloads make labels of tens of
	// KiB, so the default is generous. Reason label_too_large.
	MaxLabelBytes int `yaml:"max_label_bytes"`
	// MaxLineBytes caps one EPL command line (graphics data excluded). Reason
	// line_too_large.
	MaxLineBytes int `yaml:"max_line_bytes"`
	// MaxResponseBytes caps one printer response frame (STX … ETX). Reason
	// response_too_large.
	MaxResponseBytes int `yaml:"max_response_bytes"`
	// MaxViolations is how many violations the analyzer accepts since the last
	// well-formed label or response before it reports gave_up.
	MaxViolations int `yaml:"max_violations"`
	// MaxIdentityBytes truncates the printer model and firmware strings.
	MaxIdentityBytes int `yaml:"max_identity_bytes"`
	// MRNPattern matches a whole barcode or text token that is a medical record
	// number (Go regexp syntax, linear time). Sites set their own format.
	MRNPattern string `yaml:"mrn_pattern"`
	// AccessionPattern matches a whole barcode or text token that is a specimen
	// accession number.
	AccessionPattern string `yaml:"accession_pattern"`

	mrn, accession *regexp.Regexp
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxFieldBytes:    1024,
		MaxLabelBytes:    1 << 20,
		MaxLineBytes:     4096,
		MaxResponseBytes: 512,
		MaxViolations:    16,
		MaxIdentityBytes: 64,
		MRNPattern:       `^(?:MRN|MR)[-:#]?\d{5,12}$`,
		AccessionPattern: `^(?:[A-Z]{1,4}\d{7,14}|\d{2}-[A-Z]{1,3}-?\d{4,10})$`,
	}
}

// normalized returns a copy of c with unset values replaced by their defaults and
// the patterns compiled. An invalid pattern falls back to the default one; Valid
// reports it.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxFieldBytes, d.MaxFieldBytes)
		caps.Default(&n.MaxLabelBytes, d.MaxLabelBytes)
		caps.Default(&n.MaxLineBytes, d.MaxLineBytes)
		caps.Default(&n.MaxResponseBytes, d.MaxResponseBytes)
		caps.Default(&n.MaxViolations, d.MaxViolations)
		caps.Default(&n.MaxIdentityBytes, d.MaxIdentityBytes)
		n.mrn = pattern.Compile(n.MRNPattern, d.MRNPattern)
		n.accession = pattern.Compile(n.AccessionPattern, d.AccessionPattern)
	})
}

// Valid reports a pattern that does not compile, so configuration loading can
// refuse it with a clear message.
func (c *Config) Valid() error {
	for _, p := range []string{c.MRNPattern, c.AccessionPattern} {
		if p == "" {
			continue
		}
		if _, err := regexp.Compile(p); err != nil {
			return ErrBadPattern
		}
	}
	return nil
}
