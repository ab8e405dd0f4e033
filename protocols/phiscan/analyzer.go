package phiscan

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
)

// Analyzer scans the clear text of a TCP flow that no protocol analyzer claimed.
// It reads at most MaxBytesPerFlow per direction and emits at most one
// app.Message per direction (App "cleartext", Type "phi") when something was
// found: when the budget is spent, the direction ends or the flow expires.
//
// Data is scanned in place. The only copy is a junction buffer of at most
// 2×CarryBytes per direction: the end of the previous call joined to the start
// of the next, so patterns cut by a segment boundary are still seen. Encrypted
// flows (flow.Encrypted) are never scanned.
type Analyzer struct {
	cfg  Config
	flow *app.Flow
	emit app.Emitter
	dirs [2]dirState

	msg    app.Message
	fields []string
	counts map[string]int
	anom   app.Anomaly
}

// dirState is one direction's scan state.
type dirState struct {
	res       result
	scanned   int
	carry     []byte // last CarryBytes of the previous call
	carryOpen bool   // the stream goes on before carry
	junction  []byte
	done      bool // budget spent or reported: nothing more is read
	gapped    bool // bytes were lost: the stream's start is unseen
	last      time.Time
}

var _ app.Analyzer = (*Analyzer)(nil)

// NewAnalyzer returns the scanner of one flow. cfg may be nil (defaults).
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	return &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit, counts: make(map[string]int, 1)}
}

// Data scans the next bytes of dir, within the direction's budget.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if dir > app.ServerToClient || len(data) == 0 {
		return
	}
	d := &a.dirs[dir]
	if d.done || (a.flow != nil && a.flow.Encrypted) {
		return
	}
	d.last = ts
	over := false
	if room := a.cfg.MaxBytesPerFlow - d.scanned; len(data) > room {
		data, over = data[:room], true
	}
	if len(d.carry) > 0 {
		head := data[:min(len(data), a.cfg.CarryBytes)]
		d.junction = append(append(d.junction[:0], d.carry...), head...)
		scanInto(text{d.junction, d.carryOpen, true}, &a.cfg, &d.res)
	}
	scanInto(text{data, d.scanned > 0 || d.gapped, true}, &a.cfg, &d.res)
	d.scanned += len(data)
	// Keep the last CarryBytes of carry+data; it is open on the left unless it
	// is all the direction sent.
	if len(data) >= a.cfg.CarryBytes {
		d.carry = append(d.carry[:0], data[len(data)-a.cfg.CarryBytes:]...)
	} else {
		if drop := len(d.carry) + len(data) - a.cfg.CarryBytes; drop > 0 {
			d.carry = d.carry[:copy(d.carry, d.carry[drop:])]
		}
		d.carry = append(d.carry, data...)
	}
	d.carryOpen = d.scanned > len(d.carry) || d.gapped
	if over {
		a.anom = app.Anomaly{App: "cleartext", Reason: ReasonScanLimit, Flow: a.flow, Dir: dir, TS: ts,
			Detail: fmt.Sprintf("scanned the first %d bytes of the direction; the rest is not read", a.cfg.MaxBytesPerFlow)}
		a.emit.Anomaly(&a.anom)
		a.flush(dir)
	}
}

// Gap closes the carried tail (its end is now the end of what was seen) and
// forgets it: bytes on either side of a hole are not joined. The next bytes are
// open on the left.
func (a *Analyzer) Gap(dir app.Direction, _ int) {
	if dir > app.ServerToClient {
		return
	}
	d := &a.dirs[dir]
	a.closeTail(d)
	d.gapped = true // what follows a hole never starts the stream
}

// closeTail scans the carried tail once more as the end of what was seen, for a
// pattern that ended exactly at the last byte.
func (a *Analyzer) closeTail(d *dirState) {
	if len(d.carry) > 0 && !d.done {
		scanInto(text{d.carry, d.carryOpen, false}, &a.cfg, &d.res)
	}
	d.carry = d.carry[:0]
}

// End reports what dir held.
func (a *Analyzer) End(dir app.Direction) {
	if dir <= app.ServerToClient {
		a.flush(dir)
	}
}

// Expire reports both directions.
func (a *Analyzer) Expire() {
	a.flush(app.ClientToServer)
	a.flush(app.ServerToClient)
}

// flush emits the direction's findings once and stops reading it.
func (a *Analyzer) flush(dir app.Direction) {
	d := &a.dirs[dir]
	a.closeTail(d)
	if d.done {
		return
	}
	d.done, d.carry, d.junction = true, nil, nil
	if d.res.phi.Empty() {
		return
	}
	clear(a.counts)
	a.counts["bytes_scanned"] = d.scanned
	a.fields = d.res.fields(a.fields[:0])
	a.msg = app.Message{App: "cleartext", Type: "phi", Flow: a.flow, Dir: dir, TS: d.last,
		PHI: d.res.phi, PHIFields: a.fields, Counts: a.counts, Bytes: d.scanned}
	a.emit.Message(&a.msg)
}
