package astm

import (
	"bytes"
	"encoding/json"
)

// LIS2-A2 (E1394) record syntax: record type letter, field delimiter, fields split
// into repeats and components, with the delimiters declared by the H record.
// Everything here works on byte slices in place and allocates nothing.

// Delimiters are the four separators an H record declares: H|\^& means field '|',
// repeat '\', component '^', escape '&'.
type Delimiters struct {
	Field, Repeat, Component, Escape byte
}

// String renders the delimiters as an H record declares them: "|\\^&".
func (d Delimiters) String() string {
	return string([]byte{d.Field, d.Repeat, d.Component, d.Escape})
}

// MarshalJSON writes the delimiters as their four-character string, without
// escaping '&' for HTML.
func (d Delimiters) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d.String()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads the four-character string MarshalJSON writes.
func (d *Delimiters) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if len(s) != 4 {
		return errBadDelimiterText
	}
	*d = Delimiters{Field: s[0], Repeat: s[1], Component: s[2], Escape: s[3]}
	return nil
}

// defaultDelimiters stand in only when a header declares none or unusable ones.
var defaultDelimiters = Delimiters{Field: '|', Repeat: '\\', Component: '^', Escape: '&'}

// fallbackDelims fill in, in this order, delimiters a header failed to declare.
const fallbackDelims = "\\^&~!`"

// delimStatus tells how the H record declared its delimiters.
type delimStatus uint8

const (
	delimsDeclared delimStatus = iota // three distinct delimiters, as LIS2-A2 says
	delimsOdd                         // usable after dropping duplicates (H|\\^&)
	delimsNone                        // a bare "H": nothing declared, nothing to split
	delimsBad                         // declared but unusable; defaults filled in
)

// isDelimChar reports whether c may serve as a delimiter: printable ASCII
// punctuation, never a letter, digit, space or control byte.
func isDelimChar(c byte) bool {
	return c > ' ' && c < 0x7f && !isAlnum(c)
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// readDelimiters reads the delimiters an H record declares. The field delimiter
// is the byte after "H"; H-2 lists repeat, component and escape. Vendors differ
// (backtick repeat on Erba, '!' component on Beckman DxH, '@' repeat on Cepheid,
// a doubled backslash on Horiba H550), so nothing is assumed: duplicates are
// dropped, and only missing or unusable ones are filled from the defaults.
func readDelimiters(h []byte) (Delimiters, delimStatus) {
	if len(h) < 2 {
		return defaultDelimiters, delimsNone
	}
	d := Delimiters{Field: h[1]}
	if !isDelimChar(d.Field) {
		return defaultDelimiters, delimsBad
	}
	var got [3]byte
	n, odd := 0, false
	for _, c := range h[2:] {
		if c == d.Field {
			break
		}
		if n == len(got) || !isDelimChar(c) || c == got[0] || c == got[1] {
			odd = true
			continue
		}
		got[n] = c
		n++
	}
	status := delimsDeclared
	if odd {
		status = delimsOdd
	}
	if n < len(got) {
		status = delimsBad
		for i := 0; i < len(fallbackDelims) && n < len(got); i++ {
			c := fallbackDelims[i]
			if c != d.Field && c != got[0] && c != got[1] {
				got[n] = c
				n++
			}
		}
	}
	d.Repeat, d.Component, d.Escape = got[0], got[1], got[2]
	return d, status
}

// recordShape checks that rec starts like a record: an upper-case type letter
// followed by the end of the record or a delimiter character. It also strips a
// frame-number digit some LIS write before each record inside one frame
// ("2P|1", "3O|1"); prefixed tells that it did.
func recordShape(rec []byte) (body []byte, ok, prefixed bool) {
	if len(rec) >= 2 && rec[0] >= '0' && rec[0] <= '7' && isUpper(rec[1]) &&
		(len(rec) == 2 || isDelimChar(rec[2])) {
		rec, prefixed = rec[1:], true
	}
	if len(rec) == 0 || !isUpper(rec[0]) {
		return rec, false, prefixed
	}
	if len(rec) > 1 && !isDelimChar(rec[1]) {
		return rec, false, prefixed
	}
	return rec, true, prefixed
}

// fieldIter walks the fields of one record. Field 1 is the record type, as in
// the LIS2-A2 numbering (P-6 is the sixth field, the patient name).
type fieldIter struct {
	rec []byte
	sep byte
	pos int
	n   int
}

func newFieldIter(rec []byte, sep byte) fieldIter {
	return fieldIter{rec: rec, sep: sep}
}

// next returns the next field and its number; ok is false after the last one.
func (it *fieldIter) next() (n int, f []byte, ok bool) {
	if it.pos > len(it.rec) {
		return 0, nil, false
	}
	start := it.pos
	end := start
	for end < len(it.rec) && it.rec[end] != it.sep {
		end++
	}
	it.pos = end + 1
	it.n++
	return it.n, it.rec[start:end], true
}

// field returns field n of rec, or nil when the record is shorter.
func field(rec []byte, sep byte, n int) []byte {
	it := newFieldIter(rec, sep)
	for {
		i, f, ok := it.next()
		if !ok {
			return nil
		}
		if i == n {
			return f
		}
	}
}

// blank reports whether a field carries no value: only spaces and delimiters
// ("^^^^" is an empty patient name).
func blank(f []byte, d *Delimiters) bool {
	for _, c := range f {
		if c != ' ' && c != d.Component && c != d.Repeat {
			return false
		}
	}
	return true
}

// component returns component n (1-based) of the first repeat of field f.
func component(f []byte, d *Delimiters, n int) []byte {
	for i, c := range f {
		if c == d.Repeat {
			f = f[:i]
			break
		}
	}
	for i := 1; ; i++ {
		end := 0
		for end < len(f) && f[end] != d.Component {
			end++
		}
		if i == n {
			return f[:end]
		}
		if end == len(f) {
			return nil
		}
		f = f[end+1:]
	}
}

// trimSpace strips ASCII spaces at both ends (Sysmex pads its fields).
func trimSpace(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}
