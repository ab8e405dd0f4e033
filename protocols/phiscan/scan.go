package phiscan

import "labwatch/protocols/app"

// Finding bits, one per detector result; they index fieldNames.
type findings uint16

const (
	foundHL7PID findings = 1 << iota
	foundHL7NK1
	foundSSN
	foundMRN
	foundDOBName
)

// fieldNames are the PHIFields strings of the findings, in bit order.
var fieldNames = [...]string{
	"embedded HL7 PID", "embedded HL7 NK1", "SSN pattern", "MRN pattern", "birth date near name",
}

// result accumulates what the detectors found.
type result struct {
	phi   app.PHISet
	found findings
}

func (r *result) add(f findings, kinds ...app.PHIKind) {
	r.found |= f
	for _, k := range kinds {
		r.phi.Add(k)
	}
}

// fields appends the PHIFields names of r to dst.
func (r *result) fields(dst []string) []string {
	for i, name := range fieldNames {
		if r.found&(1<<i) != 0 {
			dst = append(dst, name)
		}
	}
	return dst
}

// Scan looks for patient identifiers in clear text and returns their kinds and
// the static names of the detectors that found them ("SSN pattern" …). It reads
// data once per detector, each linear in len(data); callers bound len(data).
// cfg may be nil (defaults). No value is ever returned.
func Scan(data []byte, cfg *Config) (app.PHISet, []string) {
	c := cfg.normalized()
	var r result
	scanInto(text{data: data}, &c, &r)
	return r.phi, r.fields(nil)
}

// text is a slice of a stream. openLeft and openRight say that the stream goes
// on, unseen, before or after it: a pattern touching an open edge may be part
// of a longer token, so the hand-written detectors do not take the edge as a
// boundary. The slice that sees the continuation finds the pattern.
type text struct {
	data                []byte
	openLeft, openRight bool
}

// scanInto runs every detector on t. The regexp detectors see t.closed(): Go
// regexps take the ends of their input as word boundaries.
func scanInto(t text, cfg *Config, r *result) {
	scanHL7(t, r)
	scanSSN(t, r)
	inner := t.closed()
	scanMRN(inner, cfg, r)
	scanDOBNearName(inner, cfg, r)
}

// closed drops the partial tokens at the open edges of t, so that no pattern is
// made of part of a longer token; what remains begins and ends next to a byte
// that is not part of a word.
func (t text) closed() []byte {
	b := t.data
	if t.openLeft {
		for len(b) > 0 && isWordChar(b[0]) {
			b = b[1:]
		}
	}
	if t.openRight {
		for len(b) > 0 && isWordChar(b[len(b)-1]) {
			b = b[:len(b)-1]
		}
	}
	return b
}

// isWordChar is the \w class of Go regexps.
func isWordChar(c byte) bool {
	return c >= '0' && c <= '9' || c == '_' || isLetter(c)
}
