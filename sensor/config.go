package sensor

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"

	"labwatch/capture"
	"labwatch/detect"
	"labwatch/output"
	"labwatch/protocols"
	"labwatch/report"
)

// Config is the whole configuration file. Every section has documented defaults
// (see README, "Configuration"); a file only needs the keys it changes.
type Config struct {
	// Workers is the number of packet-processing goroutines; flows are sharded
	// over them by a symmetric hash of addresses and ports (see capture.ShardOf).
	Workers int `yaml:"workers"`
	// Fanout is set by a capture that spreads packets over the workers itself
	// (AF_PACKET fanout): the sensor then offers one Lane per worker instead of
	// sharding in a reader goroutine.
	Fanout bool `yaml:"-"`
	// RulesFile holds user rules, suppression, limits and thresholds, added to
	// the default rules shipped in the binary (see rules/doc.go).
	RulesFile string `yaml:"rules_file"`
	// BaselineFile holds the learned state: loaded at start when present, saved
	// periodically and at exit (--baseline).
	BaselineFile string `yaml:"baseline"`
	// Outputs are the syslog receivers alerts go to, several at once (--syslog
	// adds one).
	Outputs []output.SyslogConfig `yaml:"outputs"`
	// AlertsFile is the JSON-lines alert file (--alerts), used to resume the
	// alert hash chain; TrailHead is where the chain's head is saved (by
	// default next to the baseline, else next to the alert file).
	AlertsFile string `yaml:"-"`
	TrailHead  string `yaml:"-"`
	// Web protects the live view served on the metrics address (/, /api/*).
	Web       WebConfig        `yaml:"web"`
	Detect    detect.Config    `yaml:",inline"`
	Capture   capture.Config   `yaml:"capture"`
	Protocols protocols.Config `yaml:"protocols"`
}

// WebConfig protects the live view: Basic auth (user and the SHA-256 of the
// password, hex) and TLS with an optional client-certificate requirement.
type WebConfig struct {
	User           string `yaml:"user"`
	PasswordSHA256 string `yaml:"password_sha256"`
	TLSCert        string `yaml:"tls_cert"`
	TLSKey         string `yaml:"tls_key"`
	ClientCA       string `yaml:"client_ca"` // when set, a client certificate signed by it is required
}

// DefaultConfig returns the defaults of every section.
func DefaultConfig() Config {
	return Config{
		Workers:   1,
		Detect:    detect.DefaultConfig(),
		Capture:   capture.DefaultConfig(),
		Protocols: protocols.DefaultConfig(),
	}
}

// LoadConfig reads a YAML file over the defaults. Unknown keys, wrong types and bad
// values are rejected with a message naming the file, the key and the line.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	if err := ParseConfig(data, &cfg); err != nil {
		return cfg, fmt.Errorf("config: %s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig decodes YAML into cfg (which holds the defaults) and validates it.
func ParseConfig(data []byte, cfg *Config) error {
	// A file that sets trusted_networks replaces the default list rather than
	// appending to it.
	if len(bytes.TrimSpace(data)) > 0 {
		if err := decodeYAML(data, cfg); err != nil {
			return err
		}
	}
	return validate(cfg)
}

// decodeYAML decodes strictly. go-yaml panics on some malformed input (a tag
// on a sequence, found by FuzzParseConfig): a typo in the config is an error,
// not a crash loop under systemd.
func decodeYAML(data []byte, cfg *Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("not valid YAML: the parser failed (%v)", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.Strict(), yaml.DisallowUnknownField())
	if err := dec.Decode(cfg); err != nil {
		return locate(data, err)
	}
	return nil
}

func validate(cfg *Config) error {
	if err := cfg.Detect.Validate(); err != nil {
		return err
	}
	if err := (report.AuthConfig{User: cfg.Web.User, PasswordSHA256: cfg.Web.PasswordSHA256}).Validate(); err != nil {
		return fmt.Errorf("web: %w", err)
	}
	if (cfg.Web.TLSCert == "") != (cfg.Web.TLSKey == "") || cfg.Web.ClientCA != "" && cfg.Web.TLSCert == "" {
		return fmt.Errorf("web: tls_cert and tls_key go together, and client_ca needs them")
	}
	if err := cfg.Protocols.Validate(); err != nil {
		return fmt.Errorf("protocols: %w", err)
	}
	c := &cfg.Capture
	checks := []struct {
		key string
		ok  bool
	}{
		{"capture.flows.max", c.Flows.Max > 0},
		{"capture.flows.tcp_idle", c.Flows.TCPIdle > 0},
		{"capture.flows.tcp_closed", c.Flows.TCPClosed > 0},
		{"capture.flows.udp_idle", c.Flows.UDPIdle > 0},
		{"capture.reassembly.max_pages_per_conn", c.Reassembly.MaxPagesPerConn > 0},
		{"capture.reassembly.max_pages_total", c.Reassembly.MaxPagesTotal >= c.Reassembly.MaxPagesPerConn},
		{"capture.reassembly.gap_wait", c.Reassembly.GapWait > 0},
		{"protocols.probe_bytes", cfg.Protocols.ProbeBytes > 0},
		{"workers", cfg.Workers >= 1 && cfg.Workers <= 64},
	}
	for _, ch := range checks {
		if !ch.ok {
			return fmt.Errorf("%s: value out of range (must be positive; max_pages_total at least max_pages_per_conn)", ch.key)
		}
	}
	return nil
}

// locate formats a decoding error with its line and column. goccy/go-yaml places
// its own errors, but errors from value parsers (a bad duration, a bad network)
// come without a position: for those, the quoted bad value is looked up among the
// file's tokens, and the key it belongs to is named.
func locate(data []byte, err error) error {
	var placed interface{ GetToken() *token.Token }
	if errors.As(err, &placed) {
		return errors.New(yaml.FormatError(err, false, true))
	}
	msg := err.Error()
	start := strings.IndexByte(msg, '"')
	end := strings.LastIndexByte(msg, '"')
	if start < 0 || end <= start {
		return err
	}
	bad := msg[start+1 : end]
	var key string
	for _, tk := range lexer.Tokenize(string(data)) {
		if tk.Next != nil && tk.Next.Type == token.MappingValueType {
			key = tk.Value
		}
		if tk.Value == bad && tk.Position != nil {
			return fmt.Errorf("[%d:%d] %s: %s", tk.Position.Line, tk.Position.Column, key, msg)
		}
	}
	return err
}
