package creds

import (
	"bytes"
	"fmt"

	"labwatch/protocols/app"
)

// lineBuf cuts one direction into lines. A line that lies whole in the slice
// handed in is passed in place; only an unfinished tail is copied, bounded by
// MaxLineBytes. An overlong line is reported once and skipped to its end.
type lineBuf struct {
	buf  []byte
	skip bool // inside an overlong line
}

func (l *lineBuf) drop() { l.buf, l.skip = l.buf[:0], true }

// split calls fn for each complete line of data (terminator removed). With
// crEnds, a CR alone also ends a line (Telnet sends CR NUL).
func (l *lineBuf) split(a *Analyzer, dir app.Direction, data []byte, crEnds bool, fn func(dir app.Direction, line []byte)) {
	for len(data) > 0 && !a.gaveUp && !a.done {
		i := lineEnd(data, crEnds)
		if i < 0 {
			if !l.skip {
				if len(l.buf)+len(data) > a.cfg.MaxLineBytes {
					a.report(dir, ReasonLineTooLong, fmt.Sprintf("a line longer than %d bytes", a.cfg.MaxLineBytes), true)
					l.buf, l.skip = l.buf[:0], true
				} else {
					l.buf = append(l.buf, data...)
				}
			}
			return
		}
		line := data[:i]
		data = data[i+1:]
		if l.skip {
			l.skip = false
			continue
		}
		if len(l.buf) > 0 {
			if len(l.buf)+len(line) > a.cfg.MaxLineBytes {
				a.report(dir, ReasonLineTooLong, fmt.Sprintf("a line longer than %d bytes", a.cfg.MaxLineBytes), true)
				l.buf = l.buf[:0]
				continue
			}
			l.buf = append(l.buf, line...)
			line = l.buf
		}
		if len(line) > a.cfg.MaxLineBytes {
			a.report(dir, ReasonLineTooLong, fmt.Sprintf("a line longer than %d bytes", a.cfg.MaxLineBytes), true)
			continue
		}
		line = bytes.TrimRight(line, "\r\x00")
		fn(dir, line)
		l.buf = l.buf[:0]
	}
}

func lineEnd(b []byte, crEnds bool) int {
	if !crEnds {
		return bytes.IndexByte(b, '\n')
	}
	return bytes.IndexAny(b, "\r\n")
}
