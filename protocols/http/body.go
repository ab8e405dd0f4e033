package http

import (
	"bytes"

	"labwatch/protocols/app"
	"labwatch/protocols/hl7"
)

// Body inspection: which clinical content a body carries — a FHIR resource
// (JSON or XML) or HL7 v2 messages — and which patient identifier kinds it
// holds. Only the first MaxBodyInspect bytes are seen; values are never kept.

// bodyInfo is what inspection found.
type bodyInfo struct {
	resource  string // top-level FHIR resourceType ("other" for unknown names)
	resources int    // FHIR resources seen (Bundle entries included)
	hl7Type   string // first HL7 v2 message's summary key ("ORU^R01")
	hl7       int    // HL7 v2 messages parsed
	phi       app.PHISet
	fields    []string // static field names
}

func (b *bodyInfo) reset() { *b = bodyInfo{fields: b.fields[:0]} }

func (b *bodyInfo) add(k app.PHIKind, field string) {
	b.phi.Add(k)
	for _, f := range b.fields {
		if f == field {
			return
		}
	}
	b.fields = append(b.fields, field)
}

// inspect examines body and fills bi. scratch is reused for JSON frames.
func inspect(body []byte, cfg *Config, bi *bodyInfo, js *jsonScanner) {
	trimmed := bytes.TrimLeft(body, " \t\r\n\x0b")
	if len(trimmed) == 0 {
		return
	}
	switch trimmed[0] {
	case '{', '[':
		js.scan(trimmed, bi)
		return
	case '<':
		if bytes.Contains(trimmed, []byte("hl7.org/fhir")) {
			scanFHIRXML(trimmed, bi)
			return
		}
	}
	scanHL7(body, cfg, bi)
}

// scanHL7 parses each HL7 v2 message that starts a line with "MSH" and a
// field separator.
func scanHL7(body []byte, cfg *Config, bi *bodyInfo) {
	hcfg := hl7.DefaultConfig()
	for off := 0; off < len(body) && bi.hl7 < cfg.MaxHL7Messages; {
		i := bytes.Index(body[off:], []byte("MSH"))
		if i < 0 {
			return
		}
		start := off + i
		atLine := start == 0 || body[start-1] == '\r' || body[start-1] == '\n' || body[start-1] == 0x0b
		if !atLine || start+4 > len(body) || !separator(body[start+3]) {
			off = start + 3
			continue
		}
		s, err := hl7.ParseMessage(body[start:], &hcfg)
		if err == nil {
			if bi.hl7 == 0 {
				bi.hl7Type = s.Key
			}
			bi.hl7++
			bi.phi |= s.PHI
			for _, f := range s.PHIFields.Names() {
				bi.add(0, f)
			}
		}
		off = start + max(s.Bytes, 3)
	}
}

// separator tells whether c can be an HL7 field separator.
func separator(c byte) bool {
	return c > ' ' && c < 0x7f && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')
}

// phiName is a name (a JSON element, a query parameter) that identifies a
// patient, with the kind and the field reported for it.
type phiName struct {
	name  string
	kind  app.PHIKind
	field string
}

// patientKeys are the Patient (and Person, RelatedPerson) elements whose
// presence is a patient identifier, with the kind reported.
var patientKeys = [...]phiName{
	{"name", app.PHIName, "FHIR Patient.name"},
	{"birthDate", app.PHIBirthDate, "FHIR Patient.birthDate"},
	{"identifier", app.PHIPatientID, "FHIR Patient.identifier"},
	{"address", app.PHIAddress, "FHIR Patient.address"},
	{"telecom", app.PHIPhone, "FHIR Patient.telecom"},
	{"contact", app.PHIRelative, "FHIR Patient.contact"},
}

// referenceKeys point from any resource to its patient.
var referenceKeys = [...]struct{ key, field string }{
	{"subject", "FHIR subject reference"},
	{"patient", "FHIR patient reference"},
}

const (
	refBit0   = len(patientKeys) // first bit of referenceKeys in a key mask
	noKey     = -1
	maxFrames = 64
)

// keyIndex returns the bit of an element name in a frame's key mask.
func keyIndex(name []byte) int {
	for i, k := range patientKeys {
		if string(name) == k.name {
			return i
		}
	}
	for i, k := range referenceKeys {
		if string(name) == k.key {
			return refBit0 + i
		}
	}
	return noKey
}

// patientLike tells whether a resource type describes a person whose
// demographics are patient identifiers.
func patientLike(t string) bool { return t == "Patient" || t == "Person" || t == "RelatedPerson" }

// applyFrame reports what one closed resource held.
func (b *bodyInfo) applyFrame(resType string, mask uint16, depth int) {
	if resType == "" {
		return
	}
	b.resources++
	if b.resource == "" || depth == 1 {
		b.resource = resType
	}
	if patientLike(resType) {
		for i, k := range patientKeys {
			if mask&(1<<i) != 0 {
				kind := k.kind
				if resType == "RelatedPerson" {
					kind = app.PHIRelative
				}
				b.add(kind, k.field)
			}
		}
	}
	for i, k := range referenceKeys {
		if mask&(1<<(refBit0+i)) != 0 {
			b.add(app.PHIPatientID, k.field)
		}
	}
}

// scanFHIRXML walks the element names of a FHIR XML body: the root or any
// element named after a resource type opens a resource; inside a Patient the
// demographic elements are identifiers; subject and patient elements anywhere
// are references. Attribute values and text are never read.
func scanFHIRXML(body []byte, bi *bodyInfo) {
	type open struct {
		resType string
		mask    uint16
	}
	var stack [maxFrames]open
	depth := 0
	for i := 0; i < len(body); i++ {
		if body[i] != '<' {
			continue
		}
		j := i + 1
		closing := j < len(body) && body[j] == '/'
		if closing {
			j++
		}
		if j < len(body) && (body[j] == '?' || body[j] == '!') {
			continue
		}
		k := j
		for k < len(body) && body[k] != ' ' && body[k] != '>' && body[k] != '/' && body[k] != '\t' && body[k] != '\r' && body[k] != '\n' {
			k++
		}
		name := body[j:k]
		if c := bytes.LastIndexByte(name, ':'); c >= 0 {
			name = name[c+1:]
		}
		end := bytes.IndexByte(body[k:], '>')
		selfClosing := end > 0 && body[k+end-1] == '/'
		i = k - 1
		t := fhirType(name)
		switch {
		case closing && t != "" && depth > 0 && stack[depth-1].resType == t:
			depth--
			bi.applyFrame(stack[depth].resType, stack[depth].mask, depth+1)
		case !closing && t != "" && !selfClosing && depth < maxFrames:
			stack[depth] = open{resType: t}
			depth++
		case !closing && depth > 0:
			if idx := keyIndex(name); idx != noKey {
				stack[depth-1].mask |= 1 << idx
			}
		}
	}
	for depth > 0 {
		depth--
		bi.applyFrame(stack[depth].resType, stack[depth].mask, depth+1)
	}
	if bi.resource != "" && fhirType([]byte(bi.resource)) == "" {
		bi.resource = "other"
	}
}
