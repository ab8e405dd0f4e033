package trail

import (
	"errors"
	"io"
	"os"
)

// Verify reads an alert file (JSON lines) and checks its chain. It returns
// the number of alerts read in order before the first break, and the break,
// or nil when the whole file is intact.
func Verify(r io.Reader) (n int, brk *Break) {
	return verify(r, nil)
}

// VerifyHead verifies like Verify and also checks the file against the head
// the sensor saved: the file must reach the head's Seq, and that line must
// hash to the head's Hash. It catches what a chain alone cannot: the last
// alerts altered or deleted.
func VerifyHead(r io.Reader, head Head) (n int, brk *Break) {
	return verify(r, &head)
}

// link is what is kept of the line before: its place and its hash.
type link struct {
	line   int
	seq    uint64
	hash   string
	sensor string
}

func verify(r io.Reader, head *Head) (int, *Break) {
	lr := newLineReader(r)
	var prev link
	n := 0
	headSeen := false
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			reason := ReasonReadError
			if errors.Is(err, errTooLong) {
				reason = ReasonTooLong
			}
			return n, &Break{Line: lr.line, Reason: reason}
		}
		s, ok := parseLine(line)
		if !ok {
			reason := ReasonBadJSON
			if lr.unterminated {
				reason = ReasonTorn
			}
			return n, &Break{Line: lr.line, Reason: reason}
		}
		if s.Seq == nil || *s.Seq == 0 {
			return n, &Break{Line: lr.line, Reason: ReasonUnsealed}
		}
		cur := link{line: lr.line, seq: *s.Seq, hash: hashLine(line), sensor: s.Sensor}
		if brk := checkLink(prev, cur, s.PrevHash, lr); brk != nil {
			if brk.Line == prev.line {
				n-- // the line before is the one blamed
			}
			return n, brk
		}
		if head != nil && cur.seq == head.Seq {
			if cur.hash != head.Hash {
				return n, &Break{Line: cur.line, Seq: cur.seq, Reason: ReasonHeadMismatch}
			}
			headSeen = true
		}
		prev = cur
		n++
	}
	if head != nil && head.Seq > 0 && !headSeen && head.Seq > prev.seq {
		return n, &Break{Line: prev.line + 1, Want: head.Seq, Reason: ReasonHeadMismatch}
	}
	return n, nil
}

// checkLink checks that cur follows prev; lr lets it look ahead to tell a
// reordered alert from a deleted one.
func checkLink(prev, cur link, prevHash string, lr *lineReader) *Break {
	at := func(r Reason) *Break { return &Break{Line: cur.line, Seq: cur.seq, Want: prev.seq + 1, Reason: r} }
	if prev.line == 0 {
		// The first line anchors the chain; only a chain's first alert
		// can say it has no predecessor.
		if cur.seq == 1 && prevHash != "" || cur.seq > 1 && !isHash(prevHash) {
			return &Break{Line: cur.line, Seq: cur.seq, Reason: ReasonAltered}
		}
		return nil
	}
	switch {
	case cur.sensor != prev.sensor:
		return &Break{Line: cur.line, Seq: cur.seq, Reason: ReasonOtherSensor}
	case cur.seq == prev.seq+1:
		if prevHash != prev.hash {
			return &Break{Line: prev.line, Seq: prev.seq, Other: cur.line, Reason: ReasonAltered}
		}
		return nil
	case cur.seq == prev.seq && cur.hash == prev.hash:
		return at(ReasonDuplicate)
	case cur.seq == 1 && prevHash == "":
		return at(ReasonRestarted)
	case cur.seq > prev.seq+1:
		if later := findSeq(lr, prev.seq+1, cur.seq); later > 0 {
			b := at(ReasonReordered)
			b.Other = later
			return b
		}
		return at(ReasonMissing)
	default:
		return at(ReasonReordered)
	}
}

// findSeq reads on and returns the line number of the first alert whose Seq
// is in [lo, hi), or 0.
func findSeq(lr *lineReader, lo, hi uint64) int {
	for {
		line, err := lr.next()
		if errors.Is(err, errTooLong) {
			continue
		}
		if err != nil {
			return 0
		}
		if s, ok := parseLine(line); ok && s.Seq != nil && *s.Seq >= lo && *s.Seq < hi {
			return lr.line
		}
	}
}

// VerifyFile opens and verifies an alert file.
func VerifyFile(path string) (int, *Break, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	n, brk := Verify(f)
	return n, brk, nil
}

// TailHead returns the head that the last sealed alert of r ends with: where
// a chain resumes after a crash that lost its saved head. A reader without a
// sealed alert gives the zero Head.
func TailHead(r io.Reader) (Head, error) {
	lr := newLineReader(r)
	var h Head
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return h, nil
		}
		if errors.Is(err, errTooLong) {
			continue
		}
		if err != nil {
			return h, err
		}
		if s, ok := parseLine(line); ok && s.Seq != nil && *s.Seq > 0 {
			h = Head{Seq: *s.Seq, Hash: hashLine(line)}
		}
	}
}

// ResumeFile continues c from the last alert of the file at path when that is
// ahead of c's head (a missing file changes nothing).
func (c *Chain) ResumeFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h, err := TailHead(f)
	if err != nil {
		return err
	}
	_, err = c.Resume(h)
	return err
}
