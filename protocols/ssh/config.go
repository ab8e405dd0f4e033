package ssh

// Config bounds what the analyzer buffers.
type Config struct {
	MaxBannerBytes    int `yaml:"max_banner_bytes"`
	MaxPreBannerLines int `yaml:"max_pre_banner_lines"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{MaxBannerBytes: 255, MaxPreBannerLines: 16} }

func (c *Config) normalized() Config {
	d := DefaultConfig()
	if c == nil {
		return d
	}
	out := *c
	if out.MaxBannerBytes <= 0 {
		out.MaxBannerBytes = d.MaxBannerBytes
	}
	if out.MaxPreBannerLines <= 0 {
		out.MaxPreBannerLines = d.MaxPreBannerLines
	}
	return out
}
