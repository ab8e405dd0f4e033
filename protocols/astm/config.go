package astm

import (
	"time"

	"labwatch/protocols/internal/caps"
)

// Config holds the analyzer's caps and timeouts. Every buffer the package keeps is
// bounded by one of these; reaching a cap is reported as an anomaly with its own
// reason code, never a silent drop. Timeouts run on capture time.
type Config struct {
	// MaxFrameBytes caps one E1381 frame, STX to checksum. LIS01-A2 allows 247
	// bytes, but single-frame dialects put a whole message in one frame (the corpus
	// has a 26 KiB one), so the default is generous. Reason frame_too_large.
	MaxFrameBytes int `yaml:"max_frame_bytes"`
	// MaxRecordBytes caps one LIS2-A2 record after intermediate frames are joined
	// (M records carry base64 histograms of several KiB). Reason record_too_large.
	MaxRecordBytes int `yaml:"max_record_bytes"`
	// MaxMessageBytes and MaxMessageRecords cap one H…L message (the "session" of
	// records). Past either, the message is dropped up to the next H record.
	// Reason message_too_large.
	MaxMessageBytes   int `yaml:"max_message_bytes"`
	MaxMessageRecords int `yaml:"max_message_records"`
	// FrameTimeout is the longest silence on the flow while a transmission or a
	// message is open (LIS01-A2 gives the receiver 30 s to wait for a frame).
	// Reason timeout.
	FrameTimeout time.Duration `yaml:"frame_timeout"`
	// SessionTimeout caps the time from an H record to its L record. Reason timeout.
	SessionTimeout time.Duration `yaml:"session_timeout"`
	// MaxViolations is how many protocol violations the analyzer accepts since the
	// last well-formed message before it reports gave_up and ignores the flow.
	MaxViolations int `yaml:"max_violations"`
	// MaxIdentityBytes truncates the identity strings copied from the H record
	// (sender, device, software, receiver, version, control ID).
	MaxIdentityBytes int `yaml:"max_identity_bytes"`
	// MaxMessages caps the messages ParseRecords collects in one Session.
	MaxMessages int `yaml:"max_messages"`
	// MaxFindings caps the anomalies ParseRecords keeps in one Session; the rest
	// are counted in Session.FindingsDropped.
	MaxFindings int `yaml:"max_findings"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxFrameBytes:     64 << 10,
		MaxRecordBytes:    64 << 10,
		MaxMessageBytes:   1 << 20,
		MaxMessageRecords: 10000,
		FrameTimeout:      30 * time.Second,
		SessionTimeout:    10 * time.Minute,
		MaxViolations:     16,
		MaxIdentityBytes:  64,
		MaxMessages:       10000,
		MaxFindings:       256,
	}
}

// normalized returns a copy of c with every unset or invalid value replaced by its
// default, so a zero Config (or a nil pointer) is usable.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxFrameBytes, d.MaxFrameBytes)
		caps.Default(&n.MaxRecordBytes, d.MaxRecordBytes)
		caps.Default(&n.MaxMessageBytes, d.MaxMessageBytes)
		caps.Default(&n.MaxMessageRecords, d.MaxMessageRecords)
		caps.Default(&n.MaxViolations, d.MaxViolations)
		caps.Default(&n.MaxIdentityBytes, d.MaxIdentityBytes)
		caps.Default(&n.MaxMessages, d.MaxMessages)
		caps.Default(&n.MaxFindings, d.MaxFindings)
		caps.Default(&n.FrameTimeout, d.FrameTimeout)
		caps.Default(&n.SessionTimeout, d.SessionTimeout)
	})
}
