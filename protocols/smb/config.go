package smb

// Config bounds the analysis.
type Config struct {
	MaxFramesPerDirection int `yaml:"max_frames_per_direction"`
	MaxViolations         int `yaml:"max_violations"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{MaxFramesPerDirection: 16, MaxViolations: 4} }

func (c *Config) normalized() Config {
	d := DefaultConfig()
	if c == nil {
		return d
	}
	out := *c
	if out.MaxFramesPerDirection <= 0 {
		out.MaxFramesPerDirection = d.MaxFramesPerDirection
	}
	if out.MaxViolations <= 0 {
		out.MaxViolations = d.MaxViolations
	}
	return out
}
