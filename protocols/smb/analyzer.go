package smb

import (
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/anomaly"
)

// NetBIOS session packet types (RFC 1002 §4.3.1).
const (
	nbMessage   = 0x00
	nbRequest   = 0x81
	nbPositive  = 0x82
	nbNegative  = 0x83
	nbRetarget  = 0x84
	nbKeepalive = 0x85
)

var policy = anomaly.Policy{App: "smb", GaveUpReason: ReasonGaveUp, GaveUpDetail: "%d malformed frames; the rest of the flow is ignored"}

// Analyzer reads the frame headers of one SMB connection.
type Analyzer struct {
	cfg   Config
	flow  *app.Flow
	emit  app.Emitter
	rep   anomaly.Reporter
	sides [2]side
	msg   app.Message
}

// side walks one direction's frames: a partial header is kept, a frame body is
// skipped by count.
type side struct {
	head   [8]byte
	have   int // header bytes held
	skip   int // body bytes still to skip
	frames int
	seen   map[string]bool
	done   bool
}

// NewAnalyzer returns the analyzer of one flow; cfg may be nil (defaults).
func NewAnalyzer(flow *app.Flow, emit app.Emitter, cfg *Config) *Analyzer {
	a := &Analyzer{cfg: cfg.normalized(), flow: flow, emit: emit}
	a.rep = anomaly.NewReporter(&policy, flow, emit, a.cfg.MaxViolations)
	return a
}

// Data walks the frames of direction dir.
func (a *Analyzer) Data(dir app.Direction, data []byte, ts time.Time) {
	if dir > app.ServerToClient || a.rep.GaveUp {
		return
	}
	s := &a.sides[dir]
	for len(data) > 0 && !s.done && !a.rep.GaveUp {
		if s.skip > 0 {
			n := min(s.skip, len(data))
			s.skip -= n
			data = data[n:]
			continue
		}
		// 4 header bytes, and for a session message with a body the 4-byte
		// SMB protocol id after them.
		need := 4
		if s.have >= 4 && s.head[0] == nbMessage && frameLength(&s.head) >= 4 {
			need = 8
		}
		n := copy(s.head[s.have:need], data)
		s.have += n
		data = data[n:]
		if s.have < need {
			continue // more header bytes in this segment, or the next one
		}
		if need == 4 && s.head[0] == nbMessage && frameLength(&s.head) >= 4 {
			continue // now read the protocol id
		}
		a.frame(s, dir, ts)
	}
}

// frame handles one frame header (8 bytes for a session message: the 4-byte
// NetBIOS header and the SMB protocol id; 4 for the other NetBIOS types).
func (a *Analyzer) frame(s *side, dir app.Direction, ts time.Time) {
	length := frameLength(&s.head)
	typ := s.head[0]
	consumed := s.have - 4
	s.have = 0
	s.frames++
	if s.frames >= a.cfg.MaxFramesPerDirection {
		s.done = true
	}
	switch {
	case typ == nbMessage && consumed == 0:
		// An empty session message: nothing to judge.
	case typ == nbMessage:
		fam := family(s.head[4:8])
		if fam == "" {
			a.rep.Report(dir, ts, ReasonBadFrame, "session message without an SMB protocol id", true)
		} else {
			a.rep.Violations = 0
			a.report(s, dir, ts, fam)
		}
	case typ == nbRequest, typ == nbPositive, typ == nbNegative, typ == nbRetarget, typ == nbKeepalive:
	default:
		a.rep.Report(dir, ts, ReasonBadFrame, "unknown NetBIOS session packet type", true)
	}
	s.skip = max(length-consumed, 0)
}

// report emits the first message of a dialect family in a direction.
func (a *Analyzer) report(s *side, dir app.Direction, ts time.Time, fam string) {
	if s.seen[fam] {
		return
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[fam] = true
	a.msg = app.Message{App: "smb", Type: fam, Flow: a.flow, Dir: dir, TS: ts,
		Attrs: map[string]string{"dialect": fam}}
	if fam == "SMB3_encrypted" {
		a.flow.Encrypted = true
	}
	a.emit.Message(&a.msg)
}

// Gap loses the frame position: the direction is left alone.
func (a *Analyzer) Gap(dir app.Direction, _ int) {
	if dir <= app.ServerToClient {
		a.sides[dir].done = true
	}
}

// End implements app.Analyzer; nothing is pending.
func (a *Analyzer) End(app.Direction) {}

// Expire implements app.Analyzer; nothing is pending.
func (a *Analyzer) Expire() {}

// frameLength is the NetBIOS frame's body length (17 bits: direct TCP uses the
// low bit of the flags byte as a length extension).
func frameLength(h *[8]byte) int {
	return int(h[1]&0x01)<<16 | int(h[2])<<8 | int(h[3])
}
