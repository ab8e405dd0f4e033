package output

import (
	"errors"
	"fmt"

	"github.com/rs/zerolog"
)

// OpenSyslogs starts one Syslog per entry of the config's outputs list (plus
// --syslog, as one more entry). Names must be unique: each names a queue file
// and a metrics label. On error the ones already started are closed.
func OpenSyslogs(cfgs []SyslogConfig, log zerolog.Logger) ([]*Syslog, error) {
	names := map[string]bool{}
	var out []*Syslog
	for i, c := range cfgs {
		if c.Name == "" {
			c.Name = "syslog"
			if i > 0 {
				c.Name = fmt.Sprintf("syslog%d", i+1)
			}
		}
		if names[c.Name] {
			return nil, closeAll(out, fmt.Errorf("output: two outputs named %q", c.Name))
		}
		names[c.Name] = true
		s, err := NewSyslog(c, log)
		if err != nil {
			return nil, closeAll(out, fmt.Errorf("output %d (%s): %w", i+1, c.Name, err))
		}
		out = append(out, s)
	}
	return out, nil
}

func closeAll(ss []*Syslog, err error) error {
	errs := []error{err}
	for _, s := range ss {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// Reopen reopens every sink that writes a file (on SIGHUP, for logrotate);
// network sinks have nothing to reopen.
func (m Multi) Reopen() error {
	var errs []error
	for _, s := range m {
		if r, ok := s.(interface{ Reopen() error }); ok {
			errs = append(errs, r.Reopen())
		}
	}
	return errors.Join(errs...)
}
