package protocols

import (
	"sync/atomic"
	"time"

	"labwatch/protocols/app"
)

// Stats count identification outcomes.
type Stats struct {
	Identified   map[string]*atomic.Uint64 // flows handed to each analyzer
	Unidentified atomic.Uint64             // flows no analyzer took
}

// Dispatcher creates, for each TCP flow, an identifier that finds its protocol and
// then passes the stream straight to that protocol's analyzer.
type Dispatcher struct {
	cfg   Config
	specs []Spec
	emit  app.Emitter
	stats Stats
	// other analyses flows no spec claimed (nil: they are ignored).
	other func(f *app.Flow, emit app.Emitter, cfg *Config) app.Analyzer
}

// NewDispatcher builds a dispatcher over the registry.
func NewDispatcher(cfg Config, emit app.Emitter) *Dispatcher {
	d := newDispatcher(cfg, emit, Registry())
	d.other = fallback
	return d
}

func newDispatcher(cfg Config, emit app.Emitter, specs []Spec) *Dispatcher {
	def := DefaultConfig()
	if cfg.ProbeBytes <= 0 {
		cfg.ProbeBytes = def.ProbeBytes
	}
	d := &Dispatcher{cfg: cfg, specs: specs, emit: emit}
	d.stats.Identified = make(map[string]*atomic.Uint64, len(d.specs))
	for _, s := range d.specs {
		d.stats.Identified[s.Name] = new(atomic.Uint64)
	}
	return d
}

// Stats returns the identification counters.
func (d *Dispatcher) Stats() *Stats { return &d.stats }

// Apps lists the registered protocol names.
func (d *Dispatcher) Apps() []string {
	names := make([]string, len(d.specs))
	for i, s := range d.specs {
		names[i] = s.Name
	}
	return names
}

// NewDatagram returns the analyzer for a new UDP flow, chosen by port (either
// side), or nil when no protocol registers the ports.
func (d *Dispatcher) NewDatagram(f *app.Flow) app.DatagramAnalyzer { return d.NewDatagramTo(f, d.emit) }

// NewDatagramTo is NewDatagram with the analyzer emitting to emit (a
// worker's own buffer) instead of the dispatcher's emitter.
func (d *Dispatcher) NewDatagramTo(f *app.Flow, emit app.Emitter) app.DatagramAnalyzer {
	for i := range d.specs {
		s := &d.specs[i]
		if s.NewDatagram == nil {
			continue
		}
		for _, p := range s.UDPPorts {
			if p == f.Server.Port() || p == f.Client.Port() {
				d.stats.Identified[s.Name].Add(1)
				return s.NewDatagram(f, emit, &d.cfg)
			}
		}
	}
	return nil
}

// NewStream returns the analyzer for a new TCP flow.
func (d *Dispatcher) NewStream(f *app.Flow) app.Analyzer { return d.NewStreamTo(f, d.emit) }

// NewStreamTo is NewStream with the analyzer emitting to emit.
func (d *Dispatcher) NewStreamTo(f *app.Flow, emit app.Emitter) app.Analyzer {
	return &identifier{d: d, flow: f, emit: emit}
}

// identifier buffers the first bytes of each direction until a probe decides.
type identifier struct {
	d        *Dispatcher
	flow     *app.Flow
	emit     app.Emitter
	chosen   app.Analyzer
	given    bool // no protocol: ignore the rest of the flow
	buf      [2][]byte
	ts       [2]time.Time
	first    app.Direction // direction whose bytes came first, replayed first
	seen     bool
	rejected [2]bool // every probe said no for this direction
}

func (id *identifier) Data(dir app.Direction, data []byte, ts time.Time) {
	if id.chosen != nil {
		id.chosen.Data(dir, data, ts)
		return
	}
	if id.given || len(data) == 0 {
		return
	}
	if !id.seen {
		id.seen, id.first = true, dir
	}
	if len(id.buf[dir]) == 0 {
		id.ts[dir] = ts
	}
	room := id.d.cfg.ProbeBytes - len(id.buf[dir])
	if room > len(data) {
		room = len(data)
	}
	id.buf[dir] = append(id.buf[dir], data[:room]...)
	id.decide(dir, room < len(data))
	if id.chosen != nil && room < len(data) {
		id.chosen.Data(dir, data[room:], ts)
	}
}

// decide runs the probes on direction dir's buffered bytes.
func (id *identifier) decide(dir app.Direction, full bool) {
	waiting := false
	for i := range id.d.specs {
		if id.d.specs[i].Probe == nil || id.d.specs[i].New == nil {
			continue
		}
		switch id.d.specs[i].Probe(id.buf[dir]) {
		case app.Match:
			id.choose(&id.d.specs[i])
			return
		case app.NeedMore:
			waiting = true
		}
	}
	if waiting && !full {
		return
	}
	id.rejected[dir] = true
	if s := id.byPort(); s != nil {
		id.choose(s)
		return
	}
	if id.rejected[dir.Reverse()] || full {
		id.giveUp()
	}
}

// byPort returns the spec whose registered port is the flow's server port.
func (id *identifier) byPort() *Spec {
	port := id.flow.Server.Port()
	for i := range id.d.specs {
		if id.d.specs[i].New == nil {
			continue
		}
		for _, p := range id.d.specs[i].Ports {
			if p == port {
				return &id.d.specs[i]
			}
		}
	}
	return nil
}

// choose creates the analyzer and replays what was buffered, in arrival order of
// the two directions.
func (id *identifier) choose(s *Spec) {
	id.d.stats.Identified[s.Name].Add(1)
	id.chosen = s.New(id.flow, id.emit, &id.d.cfg)
	id.replay()
}

// replay hands the buffered bytes to the chosen analyzer, in arrival order of the
// two directions, and drops the buffers.
func (id *identifier) replay() {
	for _, dir := range []app.Direction{id.first, id.first.Reverse()} {
		if len(id.buf[dir]) > 0 {
			id.chosen.Data(dir, id.buf[dir], id.ts[dir])
		}
	}
	id.buf = [2][]byte{}
}

// giveUp leaves the flow to the fallback analyzer (the clear-text PHI scanner),
// replaying what was buffered, or ignores it when there is none.
func (id *identifier) giveUp() {
	id.d.stats.Unidentified.Add(1)
	if id.d.other != nil {
		id.chosen = id.d.other(id.flow, id.emit, &id.d.cfg)
		id.replay()
		return
	}
	id.given = true
	id.buf = [2][]byte{}
}

func (id *identifier) Gap(dir app.Direction, n int) {
	if id.chosen != nil {
		id.chosen.Gap(dir, n)
		return
	}
	// Bytes before a hole cannot be joined to bytes after it: probe afresh.
	id.buf[dir] = id.buf[dir][:0]
}

func (id *identifier) End(dir app.Direction) {
	if id.chosen != nil {
		id.chosen.End(dir)
	}
}

func (id *identifier) Expire() {
	if id.chosen != nil {
		id.chosen.Expire()
		return
	}
	if !id.given && id.seen {
		// Still undecided at the end: a port match gets the bytes; otherwise the
		// flow stays unidentified.
		if s := id.byPort(); s != nil {
			id.choose(s)
		} else {
			id.giveUp()
		}
		if id.chosen != nil {
			id.chosen.Expire()
		}
	}
}
