package dicom

import "labwatch/protocols/internal/caps"

// Config holds the analyzer's caps. Every buffer the package keeps is bounded by
// one of these; reaching a cap is reported as an anomaly with its own reason
// code, never a silent drop.
type Config struct {
	// MaxPDUBytes caps the length a PDU header may declare. P-DATA-TF bodies are
	// streamed, never buffered, so this guards framing sanity rather than memory:
	// a crafted 4 GiB length is reported (pdu_too_large) and the side resyncs.
	MaxPDUBytes int `yaml:"max_pdu_bytes"`
	// MaxControlPDUBytes caps the PDUs that are buffered whole to be parsed:
	// A-ASSOCIATE-RQ/AC/RJ, A-RELEASE, A-ABORT. A C-GET request offering every
	// storage class is about 16 KiB. Reason pdu_too_large.
	MaxControlPDUBytes int `yaml:"max_control_pdu_bytes"`
	// MaxPDVsPerPDU caps the presentation data values read from one P-DATA-TF;
	// the rest of the PDU is skipped. Reason too_many_pdvs.
	MaxPDVsPerPDU int `yaml:"max_pdvs_per_pdu"`
	// MaxContexts caps the presentation contexts read from one association
	// PDU (PS3.8 allows 128: odd IDs 1..255). Reason too_many_contexts.
	MaxContexts int `yaml:"max_contexts"`
	// MaxCommandBytes caps one command set, which is buffered across PDVs until
	// its last fragment. Reason command_too_large.
	MaxCommandBytes int `yaml:"max_command_bytes"`
	// MaxUIDBytes truncates UIDs and names copied into messages (PS3.5 caps a
	// UID at 64 characters).
	MaxUIDBytes int `yaml:"max_uid_bytes"`
	// MaxListBytes caps the comma-joined SOP class and transfer syntax lists
	// put in Attrs; the full counts stay in Counts.
	MaxListBytes int `yaml:"max_list_bytes"`
	// MaxResyncBytes is how many bytes a side may pass over looking for a PDU
	// header before each no-header violation (reason bad_pdu_type): garbage
	// ends in gave_up, while a capture joined inside a PDU finds the next
	// header within one maximum PDU length.
	MaxResyncBytes int `yaml:"max_resync_bytes"`
	// MaxViolations is how many protocol violations the analyzer accepts since
	// the last well-formed PDU before it reports gave_up and ignores the flow.
	MaxViolations int `yaml:"max_violations"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MaxPDUBytes:        64 << 20,
		MaxControlPDUBytes: 64 << 10,
		MaxPDVsPerPDU:      1024,
		MaxContexts:        128,
		MaxCommandBytes:    16 << 10,
		MaxUIDBytes:        64,
		MaxListBytes:       1024,
		MaxResyncBytes:     1 << 20,
		MaxViolations:      8,
	}
}

// normalized returns a copy of c with every unset or invalid value replaced by
// its default, so a zero Config (or a nil pointer) is usable.
func (c *Config) normalized() Config {
	return caps.Normalized(c, DefaultConfig(), func(n, d *Config) {
		caps.Default(&n.MaxPDUBytes, d.MaxPDUBytes)
		caps.Default(&n.MaxControlPDUBytes, d.MaxControlPDUBytes)
		caps.Default(&n.MaxPDVsPerPDU, d.MaxPDVsPerPDU)
		caps.Default(&n.MaxContexts, d.MaxContexts)
		caps.Default(&n.MaxCommandBytes, d.MaxCommandBytes)
		caps.Default(&n.MaxUIDBytes, d.MaxUIDBytes)
		caps.Default(&n.MaxListBytes, d.MaxListBytes)
		caps.Default(&n.MaxResyncBytes, d.MaxResyncBytes)
		caps.Default(&n.MaxViolations, d.MaxViolations)
	})
}
