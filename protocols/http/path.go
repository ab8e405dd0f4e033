package http

import (
	"bytes"

	"labwatch/protocols/app"
)

// What a request-target reveals, without keeping any identifier: the path
// reduced to its first two segments with identifiers replaced by ":id", the
// FHIR resource type it names, and which patient identifiers it carries
// (a Patient id in the path, search parameters such as name or birthdate).

// targetInfo is the reduced view of a request-target.
type targetInfo struct {
	path     string
	resource string // FHIR resource type named in the path, or ""
	phi      app.PHISet
	fields   []string // static field names
}

const maxPathSegments = 2

// reduceTarget fills ti from a request-target, reusing ti.fields.
func reduceTarget(target []byte, ti *targetInfo) {
	*ti = targetInfo{fields: ti.fields[:0]}
	if string(target) == "*" {
		ti.path = "*"
		return
	}
	// absolute-form (proxies): drop scheme and authority
	if i := bytes.Index(target, []byte("://")); i >= 0 && i < 8 {
		rest := target[i+3:]
		if j := bytes.IndexByte(rest, '/'); j >= 0 {
			target = rest[j:]
		} else {
			target = nil
		}
	}
	path, query, _ := bytes.Cut(target, []byte("?"))
	path, _, _ = bytes.Cut(path, []byte("#"))
	query, _, _ = bytes.Cut(query, []byte("#"))

	var out []byte
	kept := 0
	prevPatient := false
	for len(path) > 0 {
		var seg []byte
		seg, path, _ = bytes.Cut(path, []byte("/"))
		if len(seg) == 0 {
			continue
		}
		if t := fhirType(seg); t != "" && ti.resource == "" {
			ti.resource = t
		}
		if prevPatient && seg[0] != '_' && seg[0] != '$' {
			ti.add(app.PHIPatientID, "HTTP path Patient/:id")
		}
		prevPatient = string(seg) == "Patient"
		if kept < maxPathSegments {
			out = append(out, '/')
			if idLike(seg) {
				out = append(out, ":id"...)
			} else {
				out = append(out, seg...)
			}
			kept++
		}
	}
	if len(out) == 0 {
		out = append(out, '/')
	}
	ti.path = string(out)
	queryPHI(query, ti)
}

// idLike tells whether a path segment may be an identifier or a name rather
// than a fixed word: all digits, two digits or more ("pat-77", "2026"),
// characters other than letters, digits and ._~-$, more than 32 bytes, or an
// upper-case letter outside a FHIR resource type ("Smith", "DOE"). Lower-case
// words with at most one digit ("hl7", "v2", "results") and resource types
// ("Patient") are kept.
func idLike(seg []byte) bool {
	if len(seg) > 32 {
		return true
	}
	nd, upper := 0, false
	for _, c := range seg {
		switch {
		case c >= '0' && c <= '9':
			nd++
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z', c == '.', c == '_', c == '~', c == '-', c == '$':
		default:
			return true
		}
	}
	if upper && fhirType(seg) == "" {
		return true
	}
	return nd >= 2 || nd == len(seg)
}

// queryParams maps search parameter names (FHIR and common API spellings) to
// the identifier kind their value is, with the field name reported.
var queryParams = []phiName{
	{"name", app.PHIName, "HTTP query name"},
	{"family", app.PHIName, "HTTP query family"},
	{"given", app.PHIName, "HTTP query given"},
	{"phonetic", app.PHIName, "HTTP query phonetic"},
	{"birthdate", app.PHIBirthDate, "HTTP query birthdate"},
	{"dob", app.PHIBirthDate, "HTTP query dob"},
	{"identifier", app.PHIPatientID, "HTTP query identifier"},
	{"mrn", app.PHIPatientID, "HTTP query mrn"},
	{"patient", app.PHIPatientID, "HTTP query patient"},
	{"patient_id", app.PHIPatientID, "HTTP query patient_id"},
	{"patientid", app.PHIPatientID, "HTTP query patientid"},
	{"subject", app.PHIPatientID, "HTTP query subject"},
	{"address", app.PHIAddress, "HTTP query address"},
	{"phone", app.PHIPhone, "HTTP query phone"},
	{"telecom", app.PHIPhone, "HTTP query telecom"},
	{"email", app.PHIOther, "HTTP query email"},
	{"ssn", app.PHISSN, "HTTP query ssn"},
	{"accession", app.PHIAccession, "HTTP query accession"},
}

// queryPHI notes the identifier kinds of non-empty search parameters. A
// parameter is matched on its base name: modifiers (name:exact), chains
// (subject.name) and address-* variants are folded.
func queryPHI(query []byte, ti *targetInfo) {
	for len(query) > 0 {
		var pair []byte
		pair, query, _ = bytes.Cut(query, []byte("&"))
		name, value, _ := bytes.Cut(pair, []byte("="))
		if len(value) == 0 {
			continue
		}
		name, _, _ = bytes.Cut(name, []byte(":"))
		if i := bytes.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		if len(name) > 8 && bytes.EqualFold(name[:8], []byte("address-")) {
			name = name[:7]
		}
		for _, p := range queryParams {
			if bytes.EqualFold(name, []byte(p.name)) {
				ti.add(p.kind, p.field)
				break
			}
		}
	}
}

// add records one identifier kind and field once.
func (ti *targetInfo) add(k app.PHIKind, field string) {
	ti.phi.Add(k)
	for _, f := range ti.fields {
		if f == field {
			return
		}
	}
	ti.fields = append(ti.fields, field)
}

func (ti *targetInfo) reset() { *ti = targetInfo{fields: ti.fields[:0]} }

// ReducePath returns the path of a request-target as the analyzer reports it:
// no query or fragment, the first two segments, identifiers as ":id".
func ReducePath(target string) string {
	var ti targetInfo
	reduceTarget([]byte(target), &ti)
	return ti.path
}
