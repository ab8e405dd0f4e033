package poct1a

import "labwatch/protocols/internal/caps"

// Config holds the analyzer's caps. Every buffer the package keeps is bounded by
// one of these; reaching a cap is reported as an anomaly with its own reason
// code, never a silent drop.
type Config struct {
	// MaxMessageBytes caps one XML message, declaration to root end tag; it is
	// the per-direction buffer. Past it the message is dropped and the side
	// resyncs at the next message start. Reason message_too_large.
	MaxMessageBytes int `yaml:"max_message_bytes"`
	// MaxDepth caps element nesting (POCT1-A2 messages nest 5 or 6 deep).
	// Reason too_deep.
	MaxDepth int `yaml:"max_depth"`
	// MaxTokens caps the XML tokens decoded from one message. Reason
	// too_many_tokens.
	MaxTokens int `yaml:"max_tokens"`
	// MaxAttrs caps the attributes of one element. Reason bad_xml.
	MaxAttrs int `yaml:"max_attrs"`
	// MaxValueBytes truncates the identity strings and codes copied into
	// messages (control ID, vendor, model, serial, software, codes).
	MaxValueBytes int `yaml:"max_value_bytes"`
	// MaxResyncBytes is how many bytes a side may pass over looking for a
	// message start before each no-message violation (reason framing_error).
	MaxResyncBytes int `yaml:"max_resync_bytes"`
	// MaxPendingAcks caps the messages per flow kept waiting for their ACK.R01
	// (control ID hash and time only); the oldest is dropped past it.
	MaxPendingAcks int `yaml:"max_pending_acks"`
	// MaxViolations is how many protocol violations the analyzer accepts since
	// the last well-formed message before it reports gave_up and ignores the
	// flow.
	MaxViolations int `yaml:"max_violations"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxMessageBytes: 1 << 20,
		MaxDepth:        32,
		MaxTokens:       200000,
		MaxAttrs:        32,
		MaxValueBytes:   64,
		MaxResyncBytes:  256 << 10,
		MaxPendingAcks:  64,
		MaxViolations:   8,
	}
}

// normalized returns a copy of c with every unset or invalid value replaced by
// its default, so a zero Config (or a nil pointer) is usable.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxMessageBytes, d.MaxMessageBytes)
		caps.Default(&n.MaxDepth, d.MaxDepth)
		caps.Default(&n.MaxTokens, d.MaxTokens)
		caps.Default(&n.MaxAttrs, d.MaxAttrs)
		caps.Default(&n.MaxValueBytes, d.MaxValueBytes)
		caps.Default(&n.MaxResyncBytes, d.MaxResyncBytes)
		caps.Default(&n.MaxPendingAcks, d.MaxPendingAcks)
		caps.Default(&n.MaxViolations, d.MaxViolations)
	})
}
