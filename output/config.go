package output

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Defaults and caps. Every buffer on the way to the SIEM is bounded by one of these.
const (
	DefaultAppName       = "labwatch"
	DefaultVersion       = "dev"
	DefaultFacility      = 20 // local4
	DefaultQueueMaxBytes = 64 << 20
	// UDPMaxBytes keeps a datagram within what RFC 5426 receivers must accept.
	UDPMaxBytes = 2048
	// DefaultStreamMaxBytes matches rsyslog's default maxMessageSize, so a stock
	// receiver never cuts a message (which would break CEF/LEEF/JSON syntax).
	DefaultStreamMaxBytes = 8192
	DefaultBufferAlerts   = 4096
	DefaultConfirmAfter   = 2 * time.Second
	DefaultResendWindow   = 8192
	DefaultBackoffMin     = 200 * time.Millisecond
	DefaultBackoffMax     = 30 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
	DefaultCloseTimeout   = 5 * time.Second
)

// SyslogConfig is one syslog output (the `outputs:` list of the config file, or
// --syslog/--syslog-format). Zero values take the defaults above.
type SyslogConfig struct {
	Name   string `yaml:"name"`   // metrics label and queue file name; default "syslog"
	URL    string `yaml:"url"`    // udp://host:port, tcp://host:port or tls://host:port
	Format string `yaml:"format"` // rfc5424 (default), rfc3164, cef, leef, json

	CA         string `yaml:"ca"`          // PEM bundle that signs the receiver; default system roots
	Cert       string `yaml:"cert"`        // client certificate (PEM) for mutual TLS
	Key        string `yaml:"key"`         // its private key (PEM)
	ServerName string `yaml:"server_name"` // name checked in the receiver's certificate; default the URL host

	QueueDir      string `yaml:"queue_dir"`       // where <name>.queue lives; default the user cache dir
	QueueMaxBytes int64  `yaml:"queue_max_bytes"` // cap on queued message bytes; beyond it alerts are dropped and counted

	Facility string `yaml:"facility"` // syslog facility name; default local4
	AppName  string `yaml:"app_name"` // default "labwatch"
	Hostname string `yaml:"hostname"` // default the machine's host name
	Version  string `yaml:"version"`  // product version in CEF/LEEF headers

	MaxMessageBytes int           `yaml:"max_message_bytes"` // default 8192 (tcp/tls); udp is capped at 2048
	BufferAlerts    int           `yaml:"buffer_alerts"`     // in-memory hand-off to the disk writer
	ConfirmAfter    time.Duration `yaml:"confirm_after"`     // a TCP write counts as delivered once the connection survived this long
	ResendWindow    int           `yaml:"resend_window"`     // most unconfirmed messages in flight
	BackoffMin      time.Duration `yaml:"backoff_min"`
	BackoffMax      time.Duration `yaml:"backoff_max"`
	WriteTimeout    time.Duration `yaml:"write_timeout"`
	CloseTimeout    time.Duration `yaml:"close_timeout"` // how long Close waits for the queue to drain
}

// endpoint is the parsed URL.
type endpoint struct {
	scheme string // udp, tcp, tls
	addr   string // host:port
	host   string
}

func parseEndpoint(raw string) (endpoint, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return endpoint{}, ErrBadURL
	}
	switch u.Scheme {
	case "udp", "tcp", "tls":
	default:
		return endpoint{}, ErrBadURL
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || host == "" || port == "" {
		return endpoint{}, ErrBadURL
	}
	return endpoint{scheme: u.Scheme, addr: u.Host, host: host}, nil
}

// withDefaults validates c and fills in defaults. Errors name the setting, never
// a value beyond the output's own name.
func (c SyslogConfig) withDefaults() (SyslogConfig, endpoint, error) {
	ep, err := parseEndpoint(c.URL)
	if err != nil {
		return c, ep, err
	}
	if c.Name == "" {
		c.Name = "syslog"
	}
	if !validName(c.Name) {
		return c, ep, fmt.Errorf("output: name must be letters, digits, '-', '_' or '.'")
	}
	if c.Format == "" {
		c.Format = FormatRFC5424
	}
	if !knownFormat(c.Format) {
		return c, ep, ErrUnknownFormat
	}
	if _, ok := facilities[c.facilityName()]; !ok {
		return c, ep, fmt.Errorf("output: %s: unknown syslog facility", c.Name)
	}
	if (c.Cert == "") != (c.Key == "") {
		return c, ep, fmt.Errorf("%w: cert and key go together", ErrTLSConfig)
	}
	if ep.scheme != "tls" && (c.CA != "" || c.Cert != "") {
		return c, ep, fmt.Errorf("%w: ca/cert/key need a tls:// URL", ErrTLSConfig)
	}
	if c.QueueDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		c.QueueDir = filepath.Join(dir, "labwatch", "queue")
	}
	c.QueueMaxBytes = orDefault(c.QueueMaxBytes, DefaultQueueMaxBytes)
	if c.AppName == "" {
		c.AppName = DefaultAppName
	}
	if c.Hostname == "" {
		c.Hostname, _ = os.Hostname()
	}
	if c.Version == "" {
		c.Version = DefaultVersion
	}
	c.MaxMessageBytes = orDefault(c.MaxMessageBytes, DefaultStreamMaxBytes)
	if ep.scheme == "udp" {
		c.MaxMessageBytes = min(c.MaxMessageBytes, UDPMaxBytes)
	}
	c.BufferAlerts = orDefault(c.BufferAlerts, DefaultBufferAlerts)
	c.ConfirmAfter = orDefault(c.ConfirmAfter, DefaultConfirmAfter)
	c.ResendWindow = orDefault(c.ResendWindow, DefaultResendWindow)
	c.BackoffMin = orDefault(c.BackoffMin, DefaultBackoffMin)
	c.BackoffMax = max(orDefault(c.BackoffMax, DefaultBackoffMax), c.BackoffMin)
	c.WriteTimeout = orDefault(c.WriteTimeout, DefaultWriteTimeout)
	c.CloseTimeout = orDefault(c.CloseTimeout, DefaultCloseTimeout)
	return c, ep, nil
}

func (c SyslogConfig) facilityName() string {
	if c.Facility == "" {
		return "local4"
	}
	return c.Facility
}

// formatter is the Formatter this output renders with.
func (c SyslogConfig) formatter() Formatter {
	return Formatter{
		Format:   c.Format,
		Facility: facilities[c.facilityName()],
		AppName:  c.AppName,
		Hostname: c.Hostname,
		Version:  c.Version,
		MaxBytes: c.MaxMessageBytes,
	}
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func validName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') || (c == '.' && i == 0) {
			return false
		}
	}
	return true
}

// facilities are the RFC 5424 facility names.
var facilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6,
	"news": 7, "uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12,
	"security": 13, "console": 14, "solaris-cron": 15,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19,
	"local4": 20, "local5": 21, "local6": 22, "local7": 23,
}
