package hl7

import (
	"fmt"
	"time"

	"labwatch/protocols/internal/caps"
)

// Config holds the caps and timeouts of the HL7 analyzer. Every buffer and
// table the analyzer keeps is bounded by one of these; hitting a cap is
// reported as an anomaly with its reason code (see errors.go).
type Config struct {
	// MaxMessageBytes caps one message (MLLP frame content or raw record).
	// A longer message is cut: its head is parsed and reported with
	// msg_too_large. It is also the cap of the per-direction buffer that holds
	// a message spanning several Data calls. Lab results with embedded PDFs
	// reach a few MB, so the default is generous.
	MaxMessageBytes int `yaml:"max_message_bytes"`
	// MaxSegments caps the segments parsed in one message (too_many_segments).
	MaxSegments int `yaml:"max_segments"`
	// MaxValueBytes caps every string copied out of a message (sender,
	// version, control ID...), so hostile input cannot inflate events.
	MaxValueBytes int `yaml:"max_value_bytes"`
	// MaxPendingAcks caps the messages awaiting an acknowledgement per flow
	// (ack_table_full drops the oldest).
	MaxPendingAcks int `yaml:"max_pending_acks"`
	// AckTimeout is how long, in capture time, a message may wait for its
	// acknowledgement before ack_missing is reported.
	AckTimeout time.Duration `yaml:"ack_timeout"`
	// MaxViolations is the number of consecutive violations (no well-formed
	// message in between) after which the flow is given up (gave_up).
	MaxViolations int `yaml:"max_violations"`
	// MaxAnomaliesPerFlow caps the anomalies emitted per flow; later ones are
	// counted in Stats only (one anomaly_limit marks the cut).
	MaxAnomaliesPerFlow int `yaml:"max_anomalies_per_flow"`
	// MaxUnconfirmedBytes is how many bytes a flow may carry before its first
	// well-formed message; a mid-stream pickup of a long message must fit.
	MaxUnconfirmedBytes int `yaml:"max_unconfirmed_bytes"`
}

// DefaultConfig returns the caps used when the configuration says nothing.
func DefaultConfig() Config {
	return Config{
		MaxMessageBytes:     8 << 20,
		MaxSegments:         10000,
		MaxValueBytes:       128,
		MaxPendingAcks:      256,
		AckTimeout:          30 * time.Second,
		MaxViolations:       8,
		MaxAnomaliesPerFlow: 100,
		MaxUnconfirmedBytes: 16 << 20,
	}
}

// Validate reports the first setting that cannot work. Zero values are
// valid: they mean "use the default".
func (c *Config) Validate() error {
	checks := []struct {
		name string
		v    int64
	}{
		{"max_message_bytes", int64(c.MaxMessageBytes)},
		{"max_segments", int64(c.MaxSegments)},
		{"max_value_bytes", int64(c.MaxValueBytes)},
		{"max_pending_acks", int64(c.MaxPendingAcks)},
		{"ack_timeout", int64(c.AckTimeout)},
		{"max_violations", int64(c.MaxViolations)},
		{"max_anomalies_per_flow", int64(c.MaxAnomaliesPerFlow)},
		{"max_unconfirmed_bytes", int64(c.MaxUnconfirmedBytes)},
	}
	for _, ch := range checks {
		if ch.v < 0 {
			return fmt.Errorf("hl7: config %s must not be negative", ch.name)
		}
	}
	return nil
}

// withDefaults returns a copy of c where every zero or negative setting is
// replaced by its default, so a partial or nil config is always usable.
func withDefaults(c *Config) Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxMessageBytes, d.MaxMessageBytes)
		caps.Default(&n.MaxSegments, d.MaxSegments)
		caps.Default(&n.MaxValueBytes, d.MaxValueBytes)
		caps.Default(&n.MaxPendingAcks, d.MaxPendingAcks)
		caps.Default(&n.MaxViolations, d.MaxViolations)
		caps.Default(&n.MaxAnomaliesPerFlow, d.MaxAnomaliesPerFlow)
		caps.Default(&n.MaxUnconfirmedBytes, d.MaxUnconfirmedBytes)
		caps.Default(&n.AckTimeout, d.AckTimeout)
	})
}
