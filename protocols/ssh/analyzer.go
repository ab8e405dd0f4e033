package ssh

import (
	"bytes"
	"time"

	"labwatch/protocols/app"
)

// Analyzer reads the two banners of one SSH connection.
type Analyzer struct {
	cfg   Config
	flow  *app.Flow
	emit  app.Emitter
	sides [2]side
	msg   app.Message
	anom  app.Anomaly
}

// side is one direction: the bytes of its current line, and whether it is done.
type side struct {
	line  []byte
	lines int
	done  bool
}

// NewAnalyzer returns the analyzer of one flow; cfg may be nil (defaults).
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	return &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit}
}

// Data reads lines until the banner of direction dir is found.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if dir > app.ServerToClient {
		return
	}
	s := &a.sides[dir]
	for len(data) > 0 && !s.done {
		nl := bytes.IndexByte(data, '\n')
		chunk := data
		if nl >= 0 {
			chunk = data[:nl]
			data = data[nl+1:]
		} else {
			data = nil
		}
		if len(s.line)+len(chunk) > a.cfg.MaxBannerBytes {
			a.fail(s, dir, ts, "identification line longer than allowed")
			return
		}
		s.line = append(s.line, chunk...)
		if nl < 0 {
			return // the line continues in the next segment
		}
		a.line(s, dir, ts)
	}
}

// line handles one complete line of direction dir.
func (a *Analyzer) line(s *side, dir app.Direction, ts time.Time) {
	line := bytes.TrimSuffix(s.line, []byte("\r"))
	s.line = s.line[:0]
	if !bytes.HasPrefix(line, prefix) {
		// A server may send other lines first (RFC 4253 §4.2); a client may not.
		if s.lines++; dir == app.ClientToServer || s.lines > a.cfg.MaxPreBannerLines {
			a.fail(s, dir, ts, "stream does not open with an SSH identification line")
		}
		return
	}
	s.done = true
	s.line = nil
	rest := line[len(prefix):]
	proto, software, _ := bytes.Cut(rest, []byte("-"))
	software, _, _ = bytes.Cut(software, []byte(" ")) // comments are free text: dropped
	a.msg = app.Message{App: "ssh", Type: "banner", Flow: a.flow, Dir: dir, TS: ts,
		Software: printable(software), Version: printable(proto), Bytes: len(line),
		Attrs: map[string]string{"proto": printable(proto)}}
	if bytes.HasPrefix(proto, []byte("1.")) {
		a.msg.Attrs["insecure"] = "ssh1"
	}
	a.emit.Message(&a.msg)
	// What follows the banners is key exchange, then ciphertext.
	a.flow.Encrypted = true
}

// fail reports a bad direction once and stops reading it.
func (a *Analyzer) fail(s *side, dir app.Direction, ts time.Time, detail string) {
	s.done, s.line = true, nil
	a.anom = app.Anomaly{App: "ssh", Reason: ReasonBadBanner, Flow: a.flow, Dir: dir, TS: ts, Detail: detail}
	a.emit.Anomaly(&a.anom)
	if a.sides[dir.Reverse()].done && a.msg.App == "" {
		a.anom = app.Anomaly{App: "ssh", Reason: ReasonGaveUp, Flow: a.flow, Dir: dir, TS: ts, GaveUp: true,
			Detail: "no SSH identification line in either direction"}
		a.emit.Anomaly(&a.anom)
	}
}

// Gap drops a partial line.
func (a *Analyzer) Gap(dir app.Direction, _ int) {
	if dir <= app.ServerToClient {
		a.sides[dir].line = a.sides[dir].line[:0]
	}
}

// End and Expire have nothing to flush: a banner is reported when its line ends.
func (a *Analyzer) End(app.Direction) {}

// Expire implements app.Analyzer.
func (a *Analyzer) Expire() {}

// printable keeps a banner field as text only if it is short printable ASCII.
func printable(b []byte) string {
	if len(b) > 64 {
		b = b[:64]
	}
	for _, c := range b {
		if c < 0x21 || c > 0x7e {
			return ""
		}
	}
	return string(b)
}
