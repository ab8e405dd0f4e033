package tls

import "labwatch/protocols/internal/caps"

// Config holds the analyzer's caps. Every buffer the package keeps is bounded by
// one of these; reaching a cap is reported as an anomaly with its own reason
// code, never a silent drop.
type Config struct {
	// MaxRecordBytes caps the length a record header may declare. TLS allows
	// 2^14 bytes of plaintext plus 2048 of expansion; anything longer is not a
	// TLS record. Reason record_too_large.
	MaxRecordBytes int `yaml:"max_record_bytes"`
	// MaxHelloBytes caps one ClientHello or ServerHello, which may span several
	// records and is the only thing the analyzer copies. Post-quantum key shares
	// make a ClientHello about 2 KiB; the default leaves room. Reason
	// hello_too_large.
	MaxHelloBytes int `yaml:"max_hello_bytes"`
	// MaxResyncBytes is how far the analyzer searches for a record header after
	// a gap or a mid-stream start before it counts a violation.
	MaxResyncBytes int `yaml:"max_resync_bytes"`
	// MaxViolations is how many violations the analyzer accepts before it
	// reports gave_up and ignores the rest of the flow.
	MaxViolations int `yaml:"max_violations"`
	// MaxNameBytes truncates the SNI and ALPN strings copied into a message.
	MaxNameBytes int `yaml:"max_name_bytes"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxRecordBytes: 1<<14 + 2048,
		MaxHelloBytes:  64 << 10,
		MaxResyncBytes: 64 << 10,
		MaxViolations:  8,
		MaxNameBytes:   255,
	}
}

// normalized returns a copy of c with unset or invalid values replaced by their
// defaults, so a nil or zero Config is usable.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxRecordBytes, d.MaxRecordBytes)
		caps.Default(&n.MaxHelloBytes, d.MaxHelloBytes)
		caps.Default(&n.MaxResyncBytes, d.MaxResyncBytes)
		caps.Default(&n.MaxViolations, d.MaxViolations)
		caps.Default(&n.MaxNameBytes, d.MaxNameBytes)
	})
}
