package zpl

import (
	"bytes"
	"fmt"
)

// readFrame gathers one printer response (STX … ETX) within MaxResponseBytes.
func (s *side) readFrame(b []byte) int {
	i := bytes.IndexByte(b, etx)
	end := i
	if i < 0 {
		end = len(b)
	}
	room := s.an.cfg.MaxResponseBytes - len(s.frame)
	if end > room {
		if !s.frameOver {
			s.an.violation(s, ReasonResponseTooLarge, fmt.Sprintf("printer response longer than %d bytes", s.an.cfg.MaxResponseBytes))
		}
		s.frameOver = true
	}
	s.frame = append(s.frame, b[:min(end, max(room, 0))]...)
	if i < 0 {
		return len(b)
	}
	if !s.frameOver {
		s.endFrame()
	}
	s.frame, s.frameOver, s.st = s.frame[:0], false, stIdle
	return i + 1
}

// endFrame recognises a response by its shape, so a capture joined after the
// query still reads it: ~HI answers "model,Vfirmware,dots/mm,memory[,options]";
// ~HS answers three frames, the first of twelve fields.
func (s *side) endFrame() {
	if s.hsLeft > 0 {
		s.hsLeft--
		return
	}
	f := s.frame
	n := bytes.Count(f, []byte{','}) + 1
	first, rest, _ := bytes.Cut(f, []byte{','})
	second, _, _ := bytes.Cut(rest, []byte{','})
	switch {
	case n >= 3 && len(second) >= 2 && (second[0] == 'V' || second[0] == 'v') && second[1] >= '0' && second[1] <= '9':
		s.an.emitIdentity(s, first, second)
	case n == 12:
		s.hsLeft = 2
		s.an.emitStatus(s, f)
	}
}

// statusFlags reads ~HS string 1: field 2 is the paper-out flag, field 3 the
// pause flag, field 6 the buffer-full flag.
func statusFlags(f []byte, counts map[string]int) {
	names := [...]string{1: "paper_out", 2: "paused", 5: "buffer_full"}
	for i := range names {
		v, rest, found := bytes.Cut(f, []byte{','})
		if names[i] != "" && bytes.Equal(bytes.TrimSpace(v), []byte{'1'}) {
			counts[names[i]] = 1
		}
		if !found {
			return
		}
		f = rest
	}
}

// identity copies a printable, trimmed, bounded identity string.
func identity(b []byte, limit int) string {
	b = bytes.TrimSpace(b)
	if len(b) > limit {
		b = b[:limit]
	}
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= ' ' && c < 0x7f {
			out = append(out, c)
		}
	}
	return string(out)
}
