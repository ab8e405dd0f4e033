package detect

import (
	"sync"

	"labwatch/protocols/app"
)

// Engine is the detection stage. It implements app.Emitter for the analyzers and
// takes flow events from the capture layer. One mutex guards it: events come from
// the packet path, while metrics and the summary read from other goroutines.
type Engine struct {
	cfg Config

	mu          sync.Mutex
	inv         *Inventory
	messages    map[string]map[string]uint64 // app -> type -> count
	parseErrors map[string]map[string]uint64 // app -> reason -> count
	alerts      map[string]uint64            // type -> count
	sink        func(*Alert)
}

// NewEngine makes a detection engine; sink receives every alert (it may be nil).
func NewEngine(cfg Config, sink func(*Alert)) *Engine {
	def := DefaultConfig()
	if cfg.MaxDevices <= 0 {
		cfg.MaxDevices = def.MaxDevices
	}
	if cfg.MaxPortsPerDevice <= 0 {
		cfg.MaxPortsPerDevice = def.MaxPortsPerDevice
	}
	if cfg.MaxIdentities <= 0 {
		cfg.MaxIdentities = def.MaxIdentities
	}
	if cfg.MaxMessageTypes <= 0 {
		cfg.MaxMessageTypes = def.MaxMessageTypes
	}
	e := &Engine{
		cfg:         cfg,
		messages:    map[string]map[string]uint64{},
		parseErrors: map[string]map[string]uint64{},
		alerts:      map[string]uint64{},
		sink:        sink,
	}
	e.inv = NewInventory(&e.cfg)
	return e
}

// FlowStart records a new flow.
func (e *Engine) FlowStart(f *app.Flow) {
	e.mu.Lock()
	e.inv.FlowStart(f)
	e.mu.Unlock()
}

// FlowEnd records a finished flow.
func (e *Engine) FlowEnd(r *FlowRecord) {
	e.mu.Lock()
	e.inv.FlowEnd(r)
	e.mu.Unlock()
}

// Message implements app.Emitter.
func (e *Engine) Message(m *app.Message) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.count(e.messages, m.App, messageKey(m.Type))
	e.inv.Message(m)
}

// Anomaly implements app.Emitter.
func (e *Engine) Anomaly(a *app.Anomaly) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.count(e.parseErrors, a.App, messageKey(a.Reason))
}

// count adds one to table[app][key], bounding distinct keys per app: message types
// come off the wire and must not grow the table without limit.
func (e *Engine) count(table map[string]map[string]uint64, app, key string) {
	byKey := table[app]
	if byKey == nil {
		byKey = map[string]uint64{}
		table[app] = byKey
	}
	if _, ok := byKey[key]; !ok && len(byKey) >= e.cfg.MaxMessageTypes {
		key = "other"
	}
	byKey[key]++
}

// messageKey accepts a message type or reason as a summary key only if it looks
// like one (letters, digits and ^ _ . -, at most 32 bytes).
func messageKey(s string) string {
	if s == "" || len(s) > 32 {
		return "malformed"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '^' || c == '_' || c == '.' || c == '-'
		if !ok {
			return "malformed"
		}
	}
	return s
}

// Emit sends an alert to the sink and counts it.
func (e *Engine) Emit(a *Alert) {
	e.mu.Lock()
	e.alerts[a.Type]++
	sink := e.sink
	e.mu.Unlock()
	if a.Sensor == "" {
		a.Sensor = e.cfg.Sensor
	}
	if sink != nil {
		sink(a)
	}
}

// Snapshot is a consistent copy of the engine's tallies and inventory.
type Snapshot struct {
	Messages       map[string]map[string]uint64
	ParseErrors    map[string]map[string]uint64
	Alerts         map[string]uint64
	Devices        []Device
	DevicesOverCap uint64
}

// Snapshot copies the current state.
func (e *Engine) Snapshot() Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	return Snapshot{
		Messages:       cloneNested(e.messages),
		ParseErrors:    cloneNested(e.parseErrors),
		Alerts:         cloneCounts(e.alerts),
		Devices:        e.inv.Devices(),
		DevicesOverCap: e.inv.OverCap,
	}
}

func cloneNested(m map[string]map[string]uint64) map[string]map[string]uint64 {
	c := make(map[string]map[string]uint64, len(m))
	for k, v := range m {
		c[k] = cloneCounts(v)
	}
	return c
}
