package creds

import "labwatch/protocols/internal/caps"

// Config holds the analyzers' caps. Every buffer the package keeps is bounded by
// one of these; reaching a cap is reported as an anomaly with its own reason
// code.
type Config struct {
	// MaxLineBytes caps one command or reply line (SASL responses included).
	// Longer lines are skipped to their end. Reason line_too_long.
	MaxLineBytes int `yaml:"max_line_bytes"`
	// MaxValueBytes truncates banners copied into Message.Software.
	MaxValueBytes int `yaml:"max_value_bytes"`
	// MaxViolations is how many violations an analyzer accepts before it
	// reports gave_up and ignores the flow (for SNMP: bad datagrams in a row).
	MaxViolations int `yaml:"max_violations"`
	// MaxTelnetLines is how many server lines a Telnet analyzer watches for a
	// login prompt; a session that shows none by then is left alone.
	MaxTelnetLines int `yaml:"max_telnet_lines"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{MaxLineBytes: 4096, MaxValueBytes: 128, MaxViolations: 8, MaxTelnetLines: 200}
}

// normalized returns a copy of c with unset or invalid values replaced by their
// defaults, so a nil or zero Config is usable.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxLineBytes, d.MaxLineBytes)
		caps.Default(&n.MaxValueBytes, d.MaxValueBytes)
		caps.Default(&n.MaxViolations, d.MaxViolations)
		caps.Default(&n.MaxTelnetLines, d.MaxTelnetLines)
	})
}
