package detect

import (
	"net/netip"
	"sync"
	"time"

	"labwatch/protocols/app"
)

// Engine is the detection stage. It implements app.Emitter for the analyzers and
// takes flow events from the capture layer. One mutex guards it: events come from
// the packet path, while metrics and the summary read from other goroutines.
// Alerts found while the lock is held are queued and handed to the sink after it
// is released, so a sink may call back into the engine.
type Engine struct {
	cfg Config
	loc *time.Location

	mu          sync.Mutex
	inv         *Inventory
	messages    map[string]map[string]uint64 // app -> type -> count
	parseErrors map[string]map[string]uint64 // app -> reason -> count
	alerts      map[string]uint64            // type -> count
	dropped     map[string]uint64            // reason -> count, for caps reached
	sink        func(*Alert)

	m        *model
	now      time.Time // capture clock: the latest event or tick
	hour     int64     // index of the open hour
	hourBusy bool      // the open hour saw at least one event
	partial  bool      // the open hour was not watched from its start
	scans    map[netip.Addr]*scanState
	errs     map[errKey]*errWindow
	// When the scan and error tables were last pruned (at their caps).
	scansPruned, errsPruned time.Time
	dedup                   map[dedupKey]*dedupEntry
	pending                 []*Alert
	seq                     uint64
	rateMin                 int64 // minute of the alert rate cap
	rateCount               int

	baselinePath string
	afterSave    func(path string) error // see OnBaselineSaved
	lastSave     time.Time               // capture time of the last periodic save
	lastSaveWall time.Time               // wall clock of the last periodic save
	saveErr      error
}

// minSaveWall is the least wall-clock time between periodic baseline saves.
var minSaveWall = 30 * time.Second

// NewEngine makes a detection engine; sink receives every alert (it may be nil).
// Zero-valued caps and tunings take their defaults; an unknown time zone falls
// back to UTC (Config.Validate reports it before this).
func NewEngine(cfg Config, sink func(*Alert)) *Engine {
	cfg = cfg.withDefaults()
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	e := &Engine{
		cfg:         cfg,
		loc:         loc,
		messages:    map[string]map[string]uint64{},
		parseErrors: map[string]map[string]uint64{},
		alerts:      map[string]uint64{},
		dropped:     map[string]uint64{},
		sink:        sink,
		m:           newModel(),
		scans:       map[netip.Addr]*scanState{},
		errs:        map[errKey]*errWindow{},
		dedup:       map[dedupKey]*dedupEntry{},
	}
	e.inv = NewInventory(&e.cfg)
	return e
}

// locked runs f under the lock, then delivers the alerts it raised.
func (e *Engine) locked(f func()) {
	e.mu.Lock()
	f()
	e.unlockAndDeliver()
}

// unlockAndDeliver releases the lock and hands queued alerts to the sink. The
// event handlers use it directly: a closure per event would allocate.
func (e *Engine) unlockAndDeliver() {
	out := e.pending
	e.pending = nil
	sink := e.sink
	e.mu.Unlock()
	if sink != nil {
		for _, a := range out {
			sink(a)
		}
	}
}

// FlowStart records a new flow.
func (e *Engine) FlowStart(f *app.Flow) {
	e.mu.Lock()
	e.flowStartLocked(f)
	e.unlockAndDeliver()
}

// FlowEnd records a finished flow.
func (e *Engine) FlowEnd(r *FlowRecord) {
	e.mu.Lock()
	e.flowEndLocked(r)
	e.unlockAndDeliver()
}

// FlowProgress adds the bytes a live flow carried since its last report to
// the open hour of both ends, so that long-lived connections (an HL7 link open
// for weeks) count in the hourly volumes. r.Bytes holds the delta.
func (e *Engine) FlowProgress(r *FlowRecord) {
	e.mu.Lock()
	e.flowProgressLocked(r)
	e.unlockAndDeliver()
}

// Message implements app.Emitter.
func (e *Engine) Message(m *app.Message) {
	e.mu.Lock()
	e.messageLocked(m)
	e.unlockAndDeliver()
}

// Anomaly implements app.Emitter.
func (e *Engine) Anomaly(a *app.Anomaly) {
	e.mu.Lock()
	e.anomalyLocked(a)
	e.unlockAndDeliver()
}

func (e *Engine) flowStartLocked(f *app.Flow) {
	if f == nil {
		return
	}
	e.advance(f.Start, true)
	e.inv.FlowStart(f)
	e.flowStart(f)
}

func (e *Engine) flowEndLocked(r *FlowRecord) {
	if r == nil || r.Flow == nil {
		return
	}
	e.advance(r.Last, true)
	e.inv.FlowEnd(r)
	e.flowEnd(r)
}

func (e *Engine) flowProgressLocked(r *FlowRecord) {
	if r == nil || r.Flow == nil || background(r.Flow) {
		return
	}
	e.advance(r.Last, false)
	c2s, s2c := float64(r.Bytes[app.ClientToServer]), float64(r.Bytes[app.ServerToClient])
	if d := e.m.devices[r.Flow.Client.Addr().Unmap()]; d != nil {
		d.cur[bytesOut] += c2s
		d.cur[bytesIn] += s2c
	}
	if d := e.m.devices[r.Flow.Server.Addr().Unmap()]; d != nil {
		d.cur[bytesOut] += s2c
		d.cur[bytesIn] += c2s
	}
}

func (e *Engine) messageLocked(m *app.Message) {
	if m == nil || m.Flow == nil {
		return
	}
	e.advance(m.TS, true)
	e.count(e.messages, m.App, messageKey(m.Type))
	e.inv.Message(m)
	e.message(m)
}

func (e *Engine) anomalyLocked(a *app.Anomaly) {
	if a == nil {
		return
	}
	e.advance(a.TS, true)
	e.count(e.parseErrors, a.App, reasonKey(a.Reason))
	if a.Flow != nil {
		e.protocolAnomaly(a)
	}
}

// Tick moves the capture clock to now (the sensor calls it once per second of
// capture time, and on an idle live link): it closes finished hours, scoring
// volumes and silences, ends dedup windows, and saves the baseline when
// Config.BaselineSaveEvery has passed.
func (e *Engine) Tick(now time.Time) {
	var save bool
	e.locked(func() {
		e.advance(now, false)
		e.expireDedup(false)
		// A replay runs capture time far faster than the wall clock: it also
		// waits minSaveWall between saves so that saving never dominates.
		save = e.baselinePath != "" && e.cfg.BaselineSaveEvery > 0 &&
			!e.lastSave.IsZero() && e.now.Sub(e.lastSave) >= e.cfg.BaselineSaveEvery &&
			time.Since(e.lastSaveWall) >= minSaveWall
		if e.lastSave.IsZero() || save {
			e.lastSave = e.now
			e.lastSaveWall = time.Now()
		}
	})
	if save {
		err := e.SaveBaseline(e.baselinePath)
		e.mu.Lock()
		e.saveErr = err
		if err != nil {
			e.dropped["baseline_save_failed"]++
		}
		e.mu.Unlock()
	}
}

// Close ends the input: the open hour is closed (and learned or scored) and
// pending dedup repeats are reported.
func (e *Engine) Close() {
	e.locked(func() {
		// The input ends inside the open hour: it is partial.
		e.closeHour(true)
		e.hourBusy = false
		e.expireDedup(true)
	})
}

// LastSaveError returns the error of the latest periodic baseline save, if any.
func (e *Engine) LastSaveError() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.saveErr
}

// advance moves the capture clock; event tells whether a real event (rather
// than a tick) happened at ts, which makes its hour one the sensor observed.
func (e *Engine) advance(ts time.Time, event bool) {
	if ts.IsZero() {
		return
	}
	if e.now.IsZero() {
		e.now = ts
		e.hour = hourIndex(ts)
		e.partial = ts.Sub(hourStart(e.hour)) > 5*time.Minute
	}
	if ts.After(e.now) {
		e.m.observed += ts.Sub(e.now)
		e.now = ts
	}
	if h := hourIndex(e.now); h > e.hour {
		wasBusy := e.hourBusy && h == e.hour+1
		e.closeHour(false)
		e.hour = h
		e.hourBusy = false
		// An hour the sensor did not watch from its start (the first of a run,
		// or after a gap in the capture) is partial.
		e.partial = !wasBusy && e.now.Sub(hourStart(h)) > 5*time.Minute
	}
	if event {
		e.hourBusy = true
	}
}

// learning tells whether the global learning window is still open.
func (e *Engine) learning() bool { return e.m.observed < e.cfg.Learn }

// judged tells whether a device is past its learning window.
func (e *Engine) judged(d *devModel) bool {
	return d != nil && e.m.observed >= d.judgeFrom
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

// reasonKey accepts an anomaly reason only in the form parsers give their
// stable codes (a lower-case letter, then letters, digits and _, at most 32
// bytes), so that a parser bug cannot turn a value into a metric label.
func reasonKey(s string) string {
	if s == "" || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return "malformed"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return "malformed"
		}
	}
	return s
}

// hashLabel accepts a keyed hash (app.KeyedHash: 16 hex digits) and nothing else.
func hashLabel(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) != 16 {
		return "invalid"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "invalid"
		}
	}
	return s
}

// Emit sends an alert found outside the engine (rules) to the sink and counts it.
func (e *Engine) Emit(a *Alert) {
	e.mu.Lock()
	e.alerts[a.Type]++
	sink := e.sink
	if a.Sensor == "" {
		a.Sensor = e.cfg.Sensor
	}
	if a.ID == "" {
		e.seq++
		a.ID = alertID(a, "", e.seq)
	}
	e.mu.Unlock()
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
	// DevicesEvicted counts inventory entries that never proved real and gave
	// way to a newcomer at max_devices.
	DevicesEvicted uint64
	// Dropped counts what detection did not keep because a cap was reached
	// ("peers_over_cap", "alerts_rate_limited", ...), by reason.
	Dropped map[string]uint64
	// Learning tells whether the learning window is still open.
	Learning bool
}

// Snapshot copies the current state.
func (e *Engine) Snapshot() Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	devices := e.inv.Devices()
	for i := range devices {
		if a, err := netip.ParseAddr(devices[i].IP); err == nil {
			if d := e.m.devices[a]; d != nil {
				devices[i].Software = d.softwareList()
			}
		}
	}
	return Snapshot{
		Messages:       cloneNested(e.messages),
		ParseErrors:    cloneNested(e.parseErrors),
		Alerts:         cloneCounts(e.alerts),
		Devices:        devices,
		DevicesOverCap: e.inv.OverCap,
		DevicesEvicted: e.inv.Evicted,
		Dropped:        cloneCounts(e.dropped),
		Learning:       e.learning(),
	}
}

func cloneNested(m map[string]map[string]uint64) map[string]map[string]uint64 {
	c := make(map[string]map[string]uint64, len(m))
	for k, v := range m {
		c[k] = cloneCounts(v)
	}
	return c
}
