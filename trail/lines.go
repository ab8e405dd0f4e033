package trail

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// lineReader reads newline-terminated lines of at most MaxLineBytes without
// buffering a longer one: it grows its buffer only as a line needs.
type lineReader struct {
	r    *bufio.Reader
	buf  []byte
	line int // number of the line last returned, from 1
	// unterminated: the line last returned ended the file without a newline
	// (a write cut short, by a full disk or a crash).
	unterminated bool
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

var errTooLong = errors.New("line too long")

// next returns the next line without its "\n", io.EOF at the end, errTooLong
// for a line over the cap (the rest of it is not read).
func (lr *lineReader) next() ([]byte, error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if len(lr.buf)+len(chunk) > MaxLineBytes+1 {
			lr.line++
			lr.skipLine(err)
			return nil, errTooLong
		}
		lr.buf = append(lr.buf, chunk...)
		switch {
		case err == nil:
			lr.line++
			return lr.buf[:len(lr.buf)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(lr.buf) == 0 {
				return nil, io.EOF
			}
			// A last line without its newline (a sink cut short) is still read.
			lr.line++
			lr.unterminated = true
			return lr.buf, nil
		default:
			return nil, err
		}
	}
}

// skipLine discards the rest of an over-long line, so that the next call
// starts at the next line.
func (lr *lineReader) skipLine(err error) {
	for errors.Is(err, bufio.ErrBufferFull) {
		_, err = lr.r.ReadSlice('\n')
	}
}

// sealed is what Verify reads of an alert line.
type sealed struct {
	Seq      *uint64 `json:"seq"`
	PrevHash string  `json:"prev_hash"`
	Sensor   string  `json:"sensor"`
}

// parseLine reads the chain fields of a line; ok is false for a line that is
// not a JSON object.
func parseLine(line []byte) (s sealed, ok bool) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return s, false
	}
	if err := json.Unmarshal(line, &s); err != nil {
		return s, false
	}
	return s, true
}
