package http

import "labwatch/protocols/internal/caps"

// Config holds the analyzer's caps. Every buffer the package keeps is bounded by
// one of these; reaching a cap is reported as an anomaly with its own reason
// code, or counted on the message, never a silent drop.
type Config struct {
	// MaxHeaderBytes caps a start line plus its header block. Reason
	// header_too_large; the direction resynchronises at the next start line.
	MaxHeaderBytes int `yaml:"max_header_bytes"`
	// MaxHeaders caps the header lines read from one block; the rest are
	// skipped and counted (Counts["headers_skipped"]).
	MaxHeaders int `yaml:"max_headers"`
	// MaxBodyInspect is how many bytes of each body are examined for FHIR and
	// HL7 v2 content; the rest is skipped by count (Counts["body_truncated"]).
	MaxBodyInspect int `yaml:"max_body_inspect"`
	// MaxChunkLine caps a chunk-size line with its extensions. Reason bad_chunk.
	MaxChunkLine int `yaml:"max_chunk_line"`
	// MaxPending caps requests awaiting their response (pipelining). Past it the
	// oldest is dropped. Reason pending_overflow.
	MaxPending int `yaml:"max_pending"`
	// MaxResyncBytes is how far a direction searches for a start line after a
	// gap or garbage before it counts a violation.
	MaxResyncBytes int `yaml:"max_resync_bytes"`
	// MaxViolations is how many violations the analyzer accepts since the last
	// well-formed message before it reports gave_up and ignores the flow.
	MaxViolations int `yaml:"max_violations"`
	// MaxValueBytes truncates header values copied into a message (Host,
	// User-Agent, Server, Content-Type).
	MaxValueBytes int `yaml:"max_value_bytes"`
	// MaxHL7Messages caps the HL7 v2 messages parsed from one body.
	MaxHL7Messages int `yaml:"max_hl7_messages"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxHeaderBytes: 16 << 10,
		MaxHeaders:     128,
		MaxBodyInspect: 64 << 10,
		MaxChunkLine:   1024,
		MaxPending:     64,
		MaxResyncBytes: 64 << 10,
		MaxViolations:  8,
		MaxValueBytes:  128,
		MaxHL7Messages: 16,
	}
}

// normalized returns a copy of c with unset or invalid values replaced by their
// defaults, so a nil or zero Config is usable.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxHeaderBytes, d.MaxHeaderBytes)
		caps.Default(&n.MaxHeaders, d.MaxHeaders)
		caps.Default(&n.MaxBodyInspect, d.MaxBodyInspect)
		caps.Default(&n.MaxChunkLine, d.MaxChunkLine)
		caps.Default(&n.MaxPending, d.MaxPending)
		caps.Default(&n.MaxResyncBytes, d.MaxResyncBytes)
		caps.Default(&n.MaxViolations, d.MaxViolations)
		caps.Default(&n.MaxValueBytes, d.MaxValueBytes)
		caps.Default(&n.MaxHL7Messages, d.MaxHL7Messages)
	})
}
