package protocols

import (
	"fmt"

	"labwatch/protocols/astm"
	"labwatch/protocols/creds"
	"labwatch/protocols/dhcp"
	"labwatch/protocols/dicom"
	"labwatch/protocols/dns"
	"labwatch/protocols/hl7"
	httpproto "labwatch/protocols/http"
	"labwatch/protocols/phiscan"
	"labwatch/protocols/poct1a"
	"labwatch/protocols/smb"
	"labwatch/protocols/ssh"
	"labwatch/protocols/tls"
	"labwatch/protocols/zpl"
)

// Config holds identification limits and every protocol's own config.
type Config struct {
	// ProbeBytes caps the bytes buffered per direction while a flow's protocol is
	// not yet known; past it the flow is left unidentified.
	ProbeBytes int              `yaml:"probe_bytes"`
	HL7        hl7.Config       `yaml:"hl7"`
	ASTM       astm.Config      `yaml:"astm"`
	TLS        tls.Config       `yaml:"tls"`
	HTTP       httpproto.Config `yaml:"http"`
	Creds      creds.Config     `yaml:"creds"`
	DICOM      dicom.Config     `yaml:"dicom"`
	POCT1A     poct1a.Config    `yaml:"poct1a"`
	SSH        ssh.Config       `yaml:"ssh"`
	SMB        smb.Config       `yaml:"smb"`
	ZPL        zpl.Config       `yaml:"zpl"`
	DNS        dns.Config       `yaml:"dns"`
	DHCP       dhcp.Config      `yaml:"dhcp"`
	PHIScan    phiscan.Config   `yaml:"phiscan"`
}

// Validate checks the protocol sections that can be wrong in ways their types
// do not catch.
func (c *Config) Validate() error {
	if err := c.HL7.Validate(); err != nil {
		return err
	}
	if err := c.ZPL.Valid(); err != nil {
		return fmt.Errorf("zpl: %w", err)
	}
	if err := c.PHIScan.Valid(); err != nil {
		return fmt.Errorf("phiscan: %w", err)
	}
	return nil
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		ProbeBytes: 4096,
		HL7:        hl7.DefaultConfig(),
		ASTM:       astm.DefaultConfig(),
		TLS:        tls.DefaultConfig(),
		HTTP:       httpproto.DefaultConfig(),
		Creds:      creds.DefaultConfig(),
		DICOM:      dicom.DefaultConfig(),
		POCT1A:     poct1a.DefaultConfig(),
		SSH:        ssh.DefaultConfig(),
		SMB:        smb.DefaultConfig(),
		ZPL:        zpl.DefaultConfig(),
		DNS:        dns.DefaultConfig(),
		DHCP:       dhcp.DefaultConfig(),
		PHIScan:    phiscan.DefaultConfig(),
	}
}
