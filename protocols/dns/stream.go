package dns

import (
	"encoding/binary"
	"fmt"
	"time"

	"labwatch/protocols/app"
)

// Analyzer reads DNS over TCP (RFC 1035 4.2.2, RFC 7766): each message is
// preceded by its two-byte length. A message lying whole in one Data call is
// parsed in place; only a message split across calls is copied, into one
// buffer per direction bounded by MaxMessageBytes. It implements app.Analyzer.
type Analyzer struct {
	core
	dirs [2]tcpDir
	last time.Time // capture time of the latest data, for anomalies without one
}

// tcpDir is the framing state of one direction.
type tcpDir struct {
	hdr   [2]byte
	nhdr  int
	need  int // bytes of the current message still due
	skip  bool
	buf   []byte
	lost  bool // a gap: the length prefixes can no longer be found
	total int
}

var _ app.Analyzer = (*Analyzer)(nil)

// NewAnalyzer returns the analyzer of one TCP flow. cfg may be nil.
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	return &Analyzer{core: newCore(flow, emit, cfg)}
}

// Data frames and parses the next bytes of direction dir; data is not kept.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if dir > app.ServerToClient {
		return
	}
	a.last = ts
	d := &a.dirs[dir]
	for len(data) > 0 && !a.rep.GaveUp && !d.lost {
		if d.need == 0 {
			n := copy(d.hdr[d.nhdr:], data)
			d.nhdr += n
			data = data[n:]
			if d.nhdr < 2 {
				return
			}
			d.nhdr = 0
			d.need = int(binary.BigEndian.Uint16(d.hdr[:]))
			d.skip = d.need > a.cfg.MaxMessageBytes
			d.buf, d.total = d.buf[:0], d.need
			if d.skip {
				a.report(dir, ts, ReasonMsgTooLarge, fmt.Sprintf("%d-byte message over the %d-byte cap; skipped", d.need, a.cfg.MaxMessageBytes), true)
			}
			if d.need == 0 {
				a.report(dir, ts, ReasonBadHeader, "zero-length message", true)
			}
			continue
		}
		n := min(d.need, len(data))
		chunk := data[:n]
		data, d.need = data[n:], d.need-n
		switch {
		case d.skip:
		case d.need == 0 && len(d.buf) == 0:
			a.message(dir, chunk, ts) // whole in this call: parsed in place
		default:
			d.buf = append(d.buf, chunk...)
			if d.need == 0 {
				a.message(dir, d.buf, ts)
			}
		}
	}
}

// Gap stops parsing dir: without the length prefixes the message boundaries
// are unknown, and DNS connections are short.
func (a *Analyzer) Gap(dir app.Direction, n int) {
	if dir > app.ServerToClient || a.dirs[dir].lost {
		return
	}
	a.dirs[dir].lost, a.dirs[dir].buf = true, nil
	a.report(dir, a.last, ReasonGapResync, fmt.Sprintf("%d bytes lost in capture; the direction is no longer parsed", n), false)
}

// End reports a message cut by the close of dir.
func (a *Analyzer) End(dir app.Direction) {
	if dir > app.ServerToClient {
		return
	}
	d := &a.dirs[dir]
	if (d.need > 0 || d.nhdr > 0) && !d.lost {
		a.report(dir, a.last, ReasonTruncated, fmt.Sprintf("stream closed %d bytes into a %d-byte message", d.total-d.need, d.total), true)
	}
	d.need, d.nhdr, d.buf = 0, 0, nil
}

// Expire ends both directions.
func (a *Analyzer) Expire() {
	a.End(app.ClientToServer)
	a.End(app.ServerToClient)
}
