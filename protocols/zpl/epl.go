package zpl

import (
	"bytes"
	"fmt"
)

// readLine gathers one EPL command line up to LF, within MaxLineBytes. A GW
// graphics header switches to skipping its binary bytes; a control byte is a
// violation (binary data where text commands were due).
func (s *side) readLine(b []byte) int {
	eplJob := s.lbl.open && s.lbl.lang == langEPL
	for i, c := range b {
		switch {
		case c == '\n':
			s.st = stIdle
			s.endLine()
			return i + 1
		case c == s.caret && !eplJob:
			// A ZPL command after text that was not an EPL job: a stream joined in
			// the middle of a format. The text is dropped unread.
			s.st = stIdle
			return i
		case (c < ' ' && c != '\r' && c != '\t') || c == 0x7f:
			s.an.violation(s, ReasonNotZPL, "control byte where a command or EPL line was due")
			s.enterResync()
			return i + 1
		}
		if len(s.line) >= s.an.cfg.MaxLineBytes {
			if !s.lineOver {
				s.lineOver = true
				s.an.violation(s, ReasonLineTooLarge, fmt.Sprintf("EPL line longer than %d bytes", s.an.cfg.MaxLineBytes))
			}
			continue
		}
		s.line = append(s.line, c)
		if c == ',' && s.gwHeader() {
			return i + 1
		}
	}
	return len(b)
}

// gwHeader checks whether the line so far is a complete "GWx,y,width,height,"
// header; if so the binary image follows (width bytes × height rows) and is skipped.
func (s *side) gwHeader() bool {
	if len(s.line) < 3 || s.line[0] != 'G' || s.line[1] != 'W' || bytes.Count(s.line, []byte{','}) != 4 {
		return false
	}
	parts := bytes.Split(s.line[2:], []byte{','}) // once per image, not per byte
	w, _ := leadingInt(parts[2])
	h, _ := leadingInt(parts[3])
	s.line = s.line[:0]
	if s.lbl.open {
		s.lbl.graphics++
	}
	if w > 0 && h > s.an.cfg.MaxLabelBytes/w {
		s.an.violation(s, ReasonLabelTooLarge, "EPL GW image larger than the label cap")
		s.lbl.open = false
		s.enterResync()
		return true
	}
	s.binLeft = w * h
	if s.binLeft > 0 {
		s.st = stBinary
	}
	return true
}

// endLine acts on one complete EPL line.
func (s *side) endLine() {
	ln := bytes.TrimRight(s.line, "\r \t")
	over := s.lineOver
	s.line, s.lineOver = s.line[:0], false
	if over || len(ln) == 0 {
		return
	}
	if s.resync {
		if !isClearLine(ln) {
			s.st = stResync
			return
		}
		s.resync = false
	}
	eplJob := s.lbl.open && s.lbl.lang == langEPL
	c, digitNext := ln[0], len(ln) > 1 && ln[1] >= '0' && ln[1] <= '9'
	switch {
	case isClearLine(ln):
		if eplJob && s.lbl.fields > 0 {
			s.an.report(s, ReasonUnterminated, "EPL N before the previous job's P", false)
		}
		if !s.lbl.open || s.lbl.lang == langEPL {
			s.lbl.start(langEPL)
		}
	case eplJob && c == 'A' && digitNext:
		s.eplField(ln, false)
	case eplJob && (c == 'B' || c == 'b') && digitNext:
		s.eplField(ln, true)
	case eplJob && c == 'P' && (len(ln) == 1 || digitNext):
		n, _ := leadingInt(ln[1:])
		s.lbl.copies = max(n, 1)
		s.an.emitLabel(s)
	case isLineStart(c):
		// A setup or other EPL command (q, Q, S, D, ZT, I8 …), or text that is not
		// a label: nothing to classify.
	default:
		s.an.violation(s, ReasonNotZPL, "line is neither a ZPL command nor an EPL command")
	}
}

// eplField classifies the quoted data of an A (text) or B/b (barcode) line.
func (s *side) eplField(ln []byte, barcode bool) {
	i, j := bytes.IndexByte(ln, '"'), bytes.LastIndexByte(ln, '"')
	if i >= 0 && j > i {
		s.field = append(s.field[:0], ln[i+1:j]...)
	} else {
		s.field = s.field[:0]
	}
	s.endField(barcode)
}

// isClearLine tells an EPL "N" (clear image buffer) line, which starts a job.
func isClearLine(ln []byte) bool {
	return len(bytes.TrimRight(ln, " ")) == 1 && ln[0] == 'N'
}

func isLineStart(c byte) bool {
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '?' || c == ';' || c == '^' || c == '~' ||
		c == '!' || c == '"' // Set-Get-Do commands ("! U1 getvar") and their quoted answers
}
