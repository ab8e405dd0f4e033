package protocols

import (
	"labwatch/protocols/astm"
	"labwatch/protocols/hl7"
)

// Config holds identification limits and every protocol's own config.
type Config struct {
	// ProbeBytes caps the bytes buffered per direction while a flow's protocol is
	// not yet known; past it the flow is left unidentified.
	ProbeBytes int         `yaml:"probe_bytes"`
	HL7        hl7.Config  `yaml:"hl7"`
	ASTM       astm.Config `yaml:"astm"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		ProbeBytes: 4096,
		HL7:        hl7.DefaultConfig(),
		ASTM:       astm.DefaultConfig(),
	}
}
