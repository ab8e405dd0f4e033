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

	// Adapt keeps the hour-of-day volume profiles learning slowly after the
	// learning window (--adapt): each normal hour then weighs 1/AdaptWeight.
	Adapt bool `yaml:"adapt"`
	// AdaptWeight is the number of samples an adapting profile slot remembers (default 20).
	AdaptWeight int `yaml:"adapt_weight"`
	// DedupWindow merges alerts of the same type, device and peer (default 1h);
	// repeats are counted and reported once when the window closes.
	DedupWindow time.Duration `yaml:"dedup_window"`
	// BaselineSaveEvery is how often (capture time) the learned state is saved to
	// the --baseline file while running (default 15m; 0 only saves at exit);
	// a replay also waits 30 s of wall-clock time between saves.
	BaselineSaveEvery time.Duration `yaml:"baseline_save_every"`
	// Volume tuning: a spike needs VolumeSigmas standard deviations (at least the
	// Poisson noise of the expected count) and VolumeRatio times the mean; a
	// silence needs an expected count of at least SilenceMinExpected (default 5,
	// 4 and 12).
	VolumeSigmas       float64 `yaml:"volume_sigmas"`
	VolumeRatio        float64 `yaml:"volume_ratio"`
	SilenceMinExpected float64 `yaml:"silence_min_expected"`
	// ProtocolErrors is the number of protocol errors from one device and protocol
	// within ProtocolWindow that makes a protocol_anomaly (default 10 in 10m), if
	// they are at least ProtocolErrorRatio of its traffic (default 0.2).
	ProtocolErrors     int           `yaml:"protocol_errors"`
	ProtocolWindow     time.Duration `yaml:"protocol_window"`
	ProtocolErrorRatio float64       `yaml:"protocol_error_ratio"`
	// A scan is one source reaching ScanTargets distinct unfamiliar host:port
	// pairs (or ScanHosts distinct hosts) within ScanWindow (default 24, 12, 1m).
	ScanTargets int           `yaml:"scan_targets"`
	ScanHosts   int           `yaml:"scan_hosts"`
	ScanWindow  time.Duration `yaml:"scan_window"`
	// Caps of the learned state: peers and services per device, known message
	// types and identities per device, clear-text PHI paths and credential uses
	// remembered, scan sources followed, dedup entries, alerts per minute.
	MaxPeersPerDevice int `yaml:"max_peers_per_device"`
	MaxKnownTypes     int `yaml:"max_known_types"`
	MaxPaths          int `yaml:"max_paths"`
	MaxScanSources    int `yaml:"max_scan_sources"`
	MaxDedup          int `yaml:"max_dedup"`
	MaxAlertsPerMin   int `yaml:"max_alerts_per_minute"`
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

		AdaptWeight:        20,
		DedupWindow:        time.Hour,
		BaselineSaveEvery:  15 * time.Minute,
		VolumeSigmas:       5,
		VolumeRatio:        4,
		SilenceMinExpected: 12,
		ProtocolErrors:     10,
		ProtocolWindow:     10 * time.Minute,
		ProtocolErrorRatio: 0.2,
		ScanTargets:        24,
		ScanHosts:          12,
		ScanWindow:         time.Minute,
		MaxPeersPerDevice:  512,
		MaxKnownTypes:      128,
		MaxPaths:           4096,
		MaxScanSources:     4096,
		MaxDedup:           10000,
		MaxAlertsPerMin:    600,
	}
}

// withDefaults fills zero values (a Config built in code rather than loaded) with
// the defaults, so that every cap is positive.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	ints := []struct {
		v   *int
		def int
	}{
		{&c.MaxDevices, d.MaxDevices}, {&c.MaxPortsPerDevice, d.MaxPortsPerDevice},
		{&c.MaxIdentities, d.MaxIdentities}, {&c.MaxMessageTypes, d.MaxMessageTypes},
		{&c.AdaptWeight, d.AdaptWeight}, {&c.ProtocolErrors, d.ProtocolErrors},
		{&c.ScanTargets, d.ScanTargets}, {&c.ScanHosts, d.ScanHosts},
		{&c.MaxPeersPerDevice, d.MaxPeersPerDevice}, {&c.MaxKnownTypes, d.MaxKnownTypes},
		{&c.MaxPaths, d.MaxPaths}, {&c.MaxScanSources, d.MaxScanSources},
		{&c.MaxDedup, d.MaxDedup}, {&c.MaxAlertsPerMin, d.MaxAlertsPerMin},
	}
	for _, f := range ints {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	durs := []struct {
		v   *time.Duration
		def time.Duration
	}{
		{&c.DedupWindow, d.DedupWindow}, {&c.ProtocolWindow, d.ProtocolWindow},
		{&c.ScanWindow, d.ScanWindow},
	}
	for _, f := range durs {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	floats := []struct {
		v   *float64
		def float64
	}{
		{&c.VolumeSigmas, d.VolumeSigmas}, {&c.VolumeRatio, d.VolumeRatio},
		{&c.SilenceMinExpected, d.SilenceMinExpected}, {&c.ProtocolErrorRatio, d.ProtocolErrorRatio},
	}
	for _, f := range floats {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	if c.TimeZone == "" {
		c.TimeZone = "UTC"
	}
	return c
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
		{"max_identities", c.MaxIdentities}, {"max_message_types", c.MaxMessageTypes},
		{"adapt_weight", c.AdaptWeight}, {"protocol_errors", c.ProtocolErrors},
		{"scan_targets", c.ScanTargets}, {"scan_hosts", c.ScanHosts},
		{"max_peers_per_device", c.MaxPeersPerDevice}, {"max_known_types", c.MaxKnownTypes},
		{"max_paths", c.MaxPaths}, {"max_scan_sources", c.MaxScanSources},
		{"max_dedup", c.MaxDedup}, {"max_alerts_per_minute", c.MaxAlertsPerMin}} {
		if v.n <= 0 {
			return fmt.Errorf("%s: must be positive, got %d", v.name, v.n)
		}
	}
	for _, v := range []struct {
		name string
		d    time.Duration
	}{{"dedup_window", c.DedupWindow}, {"protocol_window", c.ProtocolWindow}, {"scan_window", c.ScanWindow}} {
		if v.d <= 0 {
			return fmt.Errorf("%s: must be positive, got %s", v.name, v.d)
		}
	}
	if c.BaselineSaveEvery < 0 {
		return fmt.Errorf("baseline_save_every: must not be negative")
	}
	for _, v := range []struct {
		name string
		f    float64
	}{{"volume_sigmas", c.VolumeSigmas}, {"volume_ratio", c.VolumeRatio},
		{"silence_min_expected", c.SilenceMinExpected}, {"protocol_error_ratio", c.ProtocolErrorRatio}} {
		if !(v.f > 0) {
			return fmt.Errorf("%s: must be positive, got %g", v.name, v.f)
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
