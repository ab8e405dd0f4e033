package zpl

import "labwatch/protocols/app"

// Label languages.
const (
	langZPL byte = 'Z'
	langEPL byte = 'E'
)

// label is the running summary of one open format (^XA … ^XZ) or EPL job
// (N … P). It holds counts and PHI kinds only: field data is classified and
// forgotten field by field, so a label costs no buffer of its own.
type label struct {
	open      bool
	lang      byte
	bytes     int
	fields    int
	barcodes  int
	templates int
	graphics  int
	copies    int
	truncated int
	stored    bool // ^DF: the format is stored on the printer, not printed
	recalled  bool // ^XF: a stored format is filled in
	phi       app.PHISet
	phiMask   uint16 // bits index phiFieldNames
	afterDOB  bool   // the previous field was a bare "DOB:" caption
}

// phiFieldNames are the PHIFields strings, four kinds per source, in the order
// of fieldClass bits name, birth date, MRN, accession.
var phiFieldNames = [16]string{
	"ZPL ^FD name", "ZPL ^FD birth date", "ZPL ^FD MRN", "ZPL ^FD accession",
	"ZPL barcode name", "ZPL barcode birth date", "ZPL barcode MRN", "ZPL barcode accession",
	"EPL A name", "EPL A birth date", "EPL A MRN", "EPL A accession",
	"EPL B name", "EPL B birth date", "EPL B MRN", "EPL B accession",
}

var classKinds = [4]app.PHIKind{app.PHIName, app.PHIBirthDate, app.PHIPatientID, app.PHIAccession}

// start opens a new label in language lang.
func (l *label) start(lang byte) {
	*l = label{open: true, lang: lang, bytes: 1}
}

// addField records one classified field of the open label.
func (l *label) addField(c fieldClass, barcode, truncated bool) {
	l.fields++
	if barcode {
		l.barcodes++
	}
	if truncated {
		l.truncated++
	}
	if c&classTemplate != 0 {
		l.templates++
	}
	l.afterDOB = c&classDOBLabel != 0
	base := 0
	if l.lang == langEPL {
		base = 8
	}
	if barcode {
		base += 4
	}
	for k, kind := range classKinds {
		if c&(1<<k) != 0 {
			l.phi.Add(kind)
			l.phiMask |= 1 << (base + k)
		}
	}
}

// fieldNames appends the PHIFields of the label to dst.
func (l *label) fieldNames(dst []string) []string {
	for i, name := range phiFieldNames {
		if l.phiMask&(1<<i) != 0 {
			dst = append(dst, name)
		}
	}
	return dst
}

// fillCounts writes the label's non-zero tallies into m.
func (l *label) fillCounts(m map[string]int) {
	set := func(k string, v int) {
		if v != 0 {
			m[k] = v
		}
	}
	set("fields", l.fields)
	set("barcodes", l.barcodes)
	set("template_fields", l.templates)
	set("graphics", l.graphics)
	set("copies", l.copies)
	set("truncated_fields", l.truncated)
	if l.stored {
		m["stored_format"] = 1
	}
	if l.recalled {
		m["recalled_format"] = 1
	}
}

// language names the label's language for Attrs["language"].
func (l *label) language() string {
	if l.lang == langEPL {
		return "epl"
	}
	return "zpl"
}
