package dhcp

import "labwatch/protocols/internal/caps"

// Config holds the analyzer's caps. Every buffer the package keeps is bounded by
// one of these; reaching a cap is reported as an anomaly with its own reason code.
type Config struct {
	// MaxOptions caps the options read in one message; the rest are not read.
	// Reason too_many_options.
	MaxOptions int `yaml:"max_options"`
	// MaxStringBytes truncates the host name, vendor class and FQDN copied out.
	MaxStringBytes int `yaml:"max_string_bytes"`
	// MaxViolations is how many malformed messages the analyzer accepts since the
	// last well-formed one before it reports gave_up and ignores the flow.
	MaxViolations int `yaml:"max_violations"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{MaxOptions: 128, MaxStringBytes: 64, MaxViolations: 8}
}

// normalized returns a copy of c with unset values replaced by their defaults.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxOptions, d.MaxOptions)
		caps.Default(&n.MaxStringBytes, d.MaxStringBytes)
		caps.Default(&n.MaxViolations, d.MaxViolations)
	})
}
