package astm

import "fmt"

// recordSink receives complete records and the assembler's anomalies.
type recordSink interface {
	record(rec []byte)
	anomaly(reason, detail string)
}

// assembler cuts text into records at CR or LF. Text comes from frame bodies
// (intermediate ETB frames split records anywhere) or from raw lines. A record
// that lies whole inside one text is handed over in place; only the part of a
// record still open when the text ends is copied, into buf, which is bounded by
// max and reused.
type assembler struct {
	buf  []byte
	max  int
	over bool // dropping an oversize record up to its terminator
}

// feed hands every record completed by text to out and keeps the open rest.
func (a *assembler) feed(text []byte, out recordSink) {
	for len(text) > 0 {
		k := indexLineEnd(text)
		if k < 0 {
			a.keep(text, out)
			return
		}
		a.complete(text[:k], out)
		text = text[k+1:]
	}
}

// end closes the open record, if any: an ETX frame, a control byte in a raw
// line or the end of the stream ends the record even without CR.
func (a *assembler) end(out recordSink) {
	if len(a.buf) > 0 || a.over {
		a.complete(nil, out)
	}
}

// reset forgets the open record (after a gap or an abort).
func (a *assembler) reset() {
	a.buf = a.buf[:0]
	a.over = false
}

// discard forgets the open record and drops the text up to the next terminator:
// after a lost frame, what follows is the tail of a record whose head is gone.
func (a *assembler) discard() {
	a.buf = a.buf[:0]
	a.over = true
}

// pending tells whether a record is open.
func (a *assembler) pending() bool { return len(a.buf) > 0 || a.over }

func (a *assembler) keep(part []byte, out recordSink) {
	if a.over {
		return
	}
	if len(part) > a.max-len(a.buf) {
		a.tooLarge(out)
		return
	}
	a.buf = append(a.buf, part...)
}

func (a *assembler) complete(last []byte, out recordSink) {
	if a.over {
		a.over = false
		return
	}
	rec := last
	if len(a.buf) > 0 {
		if len(last) > a.max-len(a.buf) {
			a.tooLarge(out)
			a.over = false
			return
		}
		a.buf = append(a.buf, last...)
		rec = a.buf
	} else if len(rec) > a.max {
		a.tooLarge(out)
		a.over = false
		return
	}
	if len(rec) > 0 {
		out.record(rec)
	}
	a.buf = a.buf[:0]
}

func (a *assembler) tooLarge(out recordSink) {
	a.buf = a.buf[:0]
	a.over = true
	out.anomaly(ReasonRecordTooLarge, fmt.Sprintf("record longer than %d bytes dropped", a.max))
}

// indexLineEnd returns the index of the first CR or LF in b, or -1.
func indexLineEnd(b []byte) int {
	for i, c := range b {
		if c == '\r' || c == '\n' {
			return i
		}
	}
	return -1
}
