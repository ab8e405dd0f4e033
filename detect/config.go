package detect

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// Config holds the site knowledge detection needs and its caps.
type Config struct {
	// Sensor is this sensor's id, carried by every alert.
	Sensor string `yaml:"sensor"`
	// TrustedNetworks are the site's own networks (default RFC 1918 + IPv6 ULA).
	TrustedNetworks []Prefix `yaml:"trusted_networks"`
	// Devices names devices (and gives their role) by address or network.
	Devices []DeviceConfig `yaml:"devices"`
	// Learn is the learning window in capture time, from the first packet.
	Learn time.Duration `yaml:"learn"`
	// TimeZone is the site's zone for hour-of-day profiles ("Europe/Berlin").
	TimeZone string `yaml:"timezone"`
	// MaxDevices caps the inventory; further addresses are counted, not kept.
	MaxDevices int `yaml:"max_devices"`
	// MaxPortsPerDevice caps the ports served/used kept per device.
	MaxPortsPerDevice int `yaml:"max_ports_per_device"`
	// MaxIdentities caps the identity strings (applications, analyzer models,
	// software versions) kept per device.
	MaxIdentities int `yaml:"max_identities"`
	// MaxMessageTypes caps distinct message types counted per protocol; the rest
	// are counted under "other".
	MaxMessageTypes int `yaml:"max_message_types"`
}

// DeviceConfig names one device or a range of them.
type DeviceConfig struct {
	Match Prefix `yaml:"match"` // an address or a CIDR
	Name  string `yaml:"name"`
	Role  string `yaml:"role"` // analyzer, lis, interface_engine, printer, poct, workstation, ...
}

// Prefix is an IP network read from YAML as "10.0.0.0/8" or a single address.
type Prefix struct{ netip.Prefix }

// UnmarshalText accepts a CIDR or an address.
func (p *Prefix) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if pre, err := netip.ParsePrefix(s); err == nil {
		p.Prefix = pre.Masked()
		return nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return fmt.Errorf("%q is neither an IP address nor a CIDR network", s)
	}
	p.Prefix = netip.PrefixFrom(a, a.BitLen())
	return nil
}

// MarshalText writes the prefix in CIDR form.
func (p Prefix) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// MustPrefix parses a CIDR or an address, panicking on error (for defaults and tests).
func MustPrefix(s string) Prefix {
	var p Prefix
	if err := p.UnmarshalText([]byte(s)); err != nil {
		panic(err)
	}
	return p
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Sensor: "labwatch",
		TrustedNetworks: []Prefix{
			MustPrefix("10.0.0.0/8"), MustPrefix("172.16.0.0/12"),
			MustPrefix("192.168.0.0/16"), MustPrefix("fc00::/7"),
		},
		Learn:             72 * time.Hour,
		TimeZone:          "UTC",
		MaxDevices:        10000,
		MaxPortsPerDevice: 64,
		MaxIdentities:     16,
		MaxMessageTypes:   256,
	}
}

// Validate checks values the YAML types cannot.
func (c *Config) Validate() error {
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return fmt.Errorf("timezone: unknown time zone %q", c.TimeZone)
	}
	if c.Learn < 0 {
		return fmt.Errorf("learn: must not be negative")
	}
	for _, v := range []struct {
		name string
		n    int
	}{{"max_devices", c.MaxDevices}, {"max_ports_per_device", c.MaxPortsPerDevice},
		{"max_identities", c.MaxIdentities}, {"max_message_types", c.MaxMessageTypes}} {
		if v.n <= 0 {
			return fmt.Errorf("%s: must be positive, got %d", v.name, v.n)
		}
	}
	return nil
}

// Trusted tells whether an address is in the trusted networks.
func (c *Config) Trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range c.TrustedNetworks {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// DeviceInfo returns the configured name and role of an address: the most specific
// matching entry wins.
func (c *Config) DeviceInfo(a netip.Addr) (name, role string) {
	best := -1
	for _, d := range c.Devices {
		if d.Match.Contains(a.Unmap()) && d.Match.Bits() > best {
			best, name, role = d.Match.Bits(), d.Name, d.Role
		}
	}
	return name, role
}
