package phiscan

import (
	"bytes"

	"labwatch/protocols/app"
)

// maxSegmentScan bounds how far into an embedded segment the fields are read.
const maxSegmentScan = 2048

// pidKinds maps PID field numbers to the kinds they carry when filled.
var pidKinds = [...]app.PHIKind{
	2: app.PHIPatientID, 3: app.PHIPatientID, 4: app.PHIPatientID, 5: app.PHIName,
	6: app.PHIRelative, 7: app.PHIBirthDate, 11: app.PHIAddress, 13: app.PHIPhone,
	14: app.PHIPhone, 18: app.PHIAccount, 19: app.PHISSN,
}

// scanHL7 finds HL7 v2 PID and NK1 segments embedded in another protocol (an
// HTTP body, a file transfer, a log line): "PID|" or "NK1|" at a segment start
// (start of data, CR, LF, MLLP start byte, or a JSON/XML-escaped \r or \n),
// with enough fields to be a segment, not a word.
func scanHL7(t text, r *result) {
	data := t.data
	for _, tag := range [...]string{"PID|", "NK1|"} {
		for i := 0; i < len(data); {
			j := bytes.Index(data[i:], []byte(tag))
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(tag)
			if !segmentStart(data, at, t.openLeft) {
				continue
			}
			seg := data[at:min(len(data), at+maxSegmentScan)]
			if k := bytes.IndexAny(seg, "\r\n\x1c"); k >= 0 {
				seg = seg[:k]
			}
			if k := bytes.Index(seg, []byte(`\r`)); k >= 0 {
				seg = seg[:k]
			}
			if bytes.Count(seg, []byte{'|'}) < 5 {
				continue
			}
			if tag == "PID|" {
				readPID(seg, r)
			} else if fieldFilled(seg, 2) {
				r.add(foundHL7NK1, app.PHIRelative)
			}
		}
	}
}

// readPID adds the kinds of the filled PID fields.
func readPID(seg []byte, r *result) {
	var kinds app.PHISet
	for n, f := 0, seg; len(f) > 0 && n < len(pidKinds); n++ {
		v, rest, _ := bytes.Cut(f, []byte{'|'})
		f = rest
		if n < len(pidKinds) && pidKinds[n] != 0 && meaningful(v) {
			kinds.Add(pidKinds[n])
		}
	}
	if !kinds.Empty() {
		r.found |= foundHL7PID
		r.phi |= kinds
	}
}

// fieldFilled tells whether field n (after the segment name) holds a value.
func fieldFilled(seg []byte, n int) bool {
	for i := 0; i <= n; i++ {
		var v []byte
		v, seg, _ = bytes.Cut(seg, []byte{'|'})
		if i == n {
			return meaningful(v)
		}
	}
	return false
}

// meaningful tells a field with content from an empty one or one holding only
// component separators or an HL7 null ("").
func meaningful(v []byte) bool {
	v = bytes.Trim(v, "^~&")
	return len(v) > 0 && !bytes.Equal(v, []byte(`""`))
}

// segmentStart tells whether at starts a segment; the start of data counts
// unless the stream goes on before it.
func segmentStart(data []byte, at int, openLeft bool) bool {
	if at == 0 {
		return !openLeft
	}
	switch data[at-1] {
	case '\r', '\n', 0x0b:
		return true
	case 'r', 'n':
		return at >= 2 && data[at-2] == '\\'
	}
	return false
}
