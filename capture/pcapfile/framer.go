package pcapfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// recordRules is the format-specific half of a framer. At each record boundary
// next peeks at the coming header, checks its lengths, skips records pcapgo does
// not need and starts the record with framer.begin; when the framer reaches the
// record's checkpoint, checkTail checks the rest of the record in place.
type recordRules interface {
	next(f *framer) error
	checkTail(f *framer) error
	unit() string // "record" or "block", for problem reasons
}

// framer sits between a decompressed capture and pcapgo. It hands pcapgo one
// record (pcap) or block (pcapng) at a time and never reads past the record's
// end in one call, so it always knows the offset of the record being decoded
// (pcapgo's own read-ahead buffer cannot run ahead of it). Each length field is
// checked before pcapgo sizes a buffer from it. On a bad or cut record the
// framer records why and returns errStopped from then on.
//
// It adds no allocation per packet and no copy of its own: pcapgo's reads
// copy straight out of the framer's read-ahead buffer.
type framer struct {
	br    *bufio.Reader
	rules recordRules

	offset int64 // stream offset of the next byte to hand on or skip
	start  int64 // stream offset of the current record
	size   int   // length of the current record; 0 between records
	pos    int   // bytes of the current record handed on or skipped
	check  int   // position of the record's checkpoint, or -1

	problem string // why the stream stopped; empty while it is healthy
	code    string // the problem's reason code
}

func newFramer(br *bufio.Reader, rules recordRules) *framer {
	return &framer{br: br, rules: rules, check: -1}
}

// Read implements io.Reader for pcapgo.
func (f *framer) Read(p []byte) (int, error) {
	if f.problem != "" {
		return 0, errStopped
	}
	if len(p) == 0 {
		return 0, nil
	}
	if f.pos == f.size {
		if err := f.rules.next(f); err != nil {
			return 0, err
		}
	}
	if f.pos == f.check {
		if err := f.rules.checkTail(f); err != nil {
			return 0, err
		}
		f.check = -1
	}
	want := f.size - f.pos
	if f.check > f.pos {
		want = f.check - f.pos
	}
	if len(p) > want {
		p = p[:want]
	}
	n, err := f.br.Read(p)
	f.pos += n
	f.offset += int64(n)
	if n == 0 && err != nil {
		return 0, f.cut(err, f.pos, f.size)
	}
	return n, nil
}

// mark records that the next record starts here; called by rules before peeking.
func (f *framer) mark() {
	f.start, f.size, f.pos, f.check = f.offset, 0, 0, -1
}

// begin starts a record of size bytes at the current offset, with a checkpoint
// at position check (or -1 for none).
func (f *framer) begin(size, check int) {
	f.start, f.size, f.pos, f.check = f.offset, size, 0, check
}

// peek returns the next n bytes without consuming them. Between records, a
// stream that simply ends gives io.EOF; anything shorter than n otherwise is a
// cut record.
func (f *framer) peek(n int) ([]byte, error) {
	b, err := f.br.Peek(n)
	if len(b) == n {
		return b, nil
	}
	if len(b) == 0 && f.size == 0 && err == io.EOF {
		return nil, io.EOF
	}
	have := len(b)
	if f.size > 0 {
		have += f.pos
		n += f.pos
	}
	return nil, f.cut(err, have, n)
}

// discard consumes n bytes of the current record without handing them on.
func (f *framer) discard(n int) error {
	d, err := f.br.Discard(n)
	f.pos += d
	f.offset += int64(d)
	if d < n {
		return f.cut(err, f.pos, f.size)
	}
	return nil
}

// cut stops the stream because it ended (or failed) with have of the want
// bytes the current record needs.
func (f *framer) cut(err error, have, want int) error {
	unit := f.rules.unit()
	where := fmt.Sprintf("inside a %s (%d of %d bytes)", unit, have, want)
	if have == 0 && f.size == 0 {
		where = "between " + unit + "s"
	}
	switch {
	case err == nil || err == io.EOF:
		return f.stop(CodeTruncated, "capture ends %s", where)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return f.stop(CodeTruncated, "compressed data ends %s", where)
	default:
		return f.stop(CodeReadError, "read error %s: %v", where, err)
	}
}

// stop records why the stream ends here.
func (f *framer) stop(code, format string, args ...any) error {
	f.code, f.problem = code, fmt.Sprintf(format, args...)
	return errStopped
}
