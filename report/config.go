package report

// Config bounds what a page renders, so that a sensor with a huge inventory or
// an alert storm still serves a page a browser can open.
type Config struct {
	// MaxMapNodes is the number of hosts drawn on the communication map (busiest
	// first); the rest are counted in the map's caption.
	MaxMapNodes int
	// MaxMapEdges is the number of paths drawn (clear-text PHI paths first).
	MaxMapEdges int
	// MaxAlerts is the number of alerts rendered (newest kept).
	MaxAlerts int
	// MaxCharts is the number of per-device volume charts (busiest first).
	MaxCharts int
	// Refresh is the reload period of the live page in seconds (0: no reload).
	Refresh int
}

// DefaultConfig returns the limits used by WriteHTML and Handler.
func DefaultConfig() Config {
	return Config{MaxMapNodes: 60, MaxMapEdges: 400, MaxAlerts: 2000, MaxCharts: 60, Refresh: 0}
}

// DefaultAlertLogSize is how many alerts the sensor should keep for the report.
const DefaultAlertLogSize = 5000

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.MaxMapNodes <= 0 {
		c.MaxMapNodes = d.MaxMapNodes
	}
	if c.MaxMapEdges <= 0 {
		c.MaxMapEdges = d.MaxMapEdges
	}
	if c.MaxAlerts <= 0 {
		c.MaxAlerts = d.MaxAlerts
	}
	if c.MaxCharts <= 0 {
		c.MaxCharts = d.MaxCharts
	}
	return c
}
