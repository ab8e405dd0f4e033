package detect

// Reconfigure applies a reloaded configuration (SIGHUP) without losing what was
// learned: trusted networks, device names and roles, thresholds, windows and
// caps take effect from the next event, and the names, roles and trust of
// known devices are looked up again. The time zone sets the hour boundaries of
// every learned profile, so a change to it waits for a restart: its key is
// returned (nil when everything was applied).
func (e *Engine) Reconfigure(cfg Config) (needRestart []string) {
	cfg = cfg.withDefaults()
	e.mu.Lock()
	defer e.unlockAndDeliver()
	if cfg.TimeZone != e.cfg.TimeZone {
		needRestart = append(needRestart, "timezone")
		cfg.TimeZone = e.cfg.TimeZone
	}
	e.cfg = cfg // the inventory reads it through its pointer
	for a, d := range e.m.devices {
		d.name, d.role = e.cfg.DeviceInfo(a)
	}
	for a, d := range e.inv.devices {
		d.Trusted = e.cfg.Trusted(a)
		d.Name, d.Role = e.cfg.DeviceInfo(a)
	}
	return needRestart
}
