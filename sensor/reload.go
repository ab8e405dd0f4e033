package sensor

import (
	"reflect"
	"slices"

	"labwatch/rules"
)

// Reload applies a configuration read again on SIGHUP. Detection settings
// (trusted networks, device names and roles, thresholds, windows, caps) and the
// rule file take effect at once, learned state kept; sections that shape the
// running pipeline (workers, capture, protocols, outputs, baseline, web, sensor
// id, time zone) keep their running values and are returned by key, for the
// caller to say they need a restart. An error means the rules did not load:
// the running rules stay, everything else is applied.
func (s *Sensor) Reload(cfg Config) (needRestart []string, err error) {
	for key, same := range map[string]bool{
		"workers":   cfg.Workers == s.cfg.Workers,
		"capture":   reflect.DeepEqual(cfg.Capture, s.cfg.Capture),
		"protocols": reflect.DeepEqual(cfg.Protocols, s.cfg.Protocols),
		"outputs":   reflect.DeepEqual(cfg.Outputs, s.cfg.Outputs),
		"baseline":  cfg.BaselineFile == s.cfg.BaselineFile,
		"web":       cfg.Web == s.cfg.Web,
		"sensor":    cfg.Detect.Sensor == s.cfg.Detect.Sensor,
	} {
		if !same {
			needRestart = append(needRestart, key)
		}
	}
	cfg.Detect.Sensor = s.cfg.Detect.Sensor
	needRestart = append(needRestart, s.detect.Reconfigure(cfg.Detect)...)
	slices.Sort(needRestart)
	site := cfg.Detect // the alert stage's site lookups read this copy
	s.alerts.setSite(rules.SiteFromConfig(&site))
	s.cfg.RulesFile = cfg.RulesFile
	return needRestart, s.ReloadRules()
}
