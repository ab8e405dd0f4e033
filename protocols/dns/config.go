package dns

import "labwatch/protocols/internal/caps"

// Config holds the analyzer's caps. Every buffer the package keeps is bounded by
// one of these; reaching a cap is reported as an anomaly with its own reason code.
type Config struct {
	// MaxMessageBytes caps one DNS message over TCP (the length prefix allows
	// 65535); a longer one is skipped unread. Reason msg_too_large.
	MaxMessageBytes int `yaml:"max_message_bytes"`
	// MaxRecords caps the resource records walked in one message (answers,
	// authority, additional); the rest are counted as not walked. Reason
	// too_many_records.
	MaxRecords int `yaml:"max_records"`
	// MaxPointers caps the compression pointers followed in one name, on top of
	// the rule that a pointer must point backwards. Reason bad_name.
	MaxPointers int `yaml:"max_pointers"`
	// MaxPending caps the queries remembered per flow to match responses (and
	// measure their latency); the oldest is forgotten first.
	MaxPending int `yaml:"max_pending"`
	// MaxViolations is how many malformed messages the analyzer accepts since the
	// last well-formed one before it reports gave_up and ignores the flow.
	MaxViolations int `yaml:"max_violations"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxMessageBytes: 65535,
		MaxRecords:      256,
		MaxPointers:     16,
		MaxPending:      32,
		MaxViolations:   8,
	}
}

// normalized returns a copy of c with unset values replaced by their defaults.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxMessageBytes, d.MaxMessageBytes)
		caps.Default(&n.MaxRecords, d.MaxRecords)
		caps.Default(&n.MaxPointers, d.MaxPointers)
		caps.Default(&n.MaxPending, d.MaxPending)
		caps.Default(&n.MaxViolations, d.MaxViolations)
	})
}
