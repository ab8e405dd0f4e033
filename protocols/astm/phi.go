package astm

import "labwatch/protocols/app"

// Which record fields carry patient identifiers. Only presence is recorded (a
// kind and a field name); the value is never read beyond "is it blank".

// phiField names one record field that identifies a patient.
type phiField struct {
	record byte
	field  int
	kind   app.PHIKind // 0: decided per component
	name   string
}

// phiFields lists them in the order PHIFields reports them. A message keeps a
// bit mask over this table, so building PHIFields needs no map and no sort.
var phiFields = [...]phiField{
	{'P', 3, app.PHIPatientID, "ASTM P-3"}, // practice-assigned patient ID
	{'P', 4, app.PHIPatientID, "ASTM P-4"}, // laboratory-assigned patient ID
	{'P', 5, app.PHIPatientID, "ASTM P-5"}, // patient ID No. 3
	{'P', 6, app.PHIName, "ASTM P-6"},      // patient name
	{'P', 7, app.PHIRelative, "ASTM P-7"},  // mother's maiden name
	{'P', 8, app.PHIBirthDate, "ASTM P-8"}, // birthdate
	{'P', 11, app.PHIAddress, "ASTM P-11"}, // patient address
	{'P', 13, app.PHIPhone, "ASTM P-13"},   // patient telephone
	{'O', 3, app.PHIAccession, "ASTM O-3"}, // specimen ID
	{'O', 4, app.PHIAccession, "ASTM O-4"}, // instrument specimen ID
	{'Q', 3, 0, "ASTM Q-3"},                // starting range: patient ID ^ specimen ID
	{'Q', 4, 0, "ASTM Q-4"},                // ending range
}

// phiLastField is the highest field number any record type checks.
const phiLastField = 13

// phiScan records in set and mask which identifying fields of rec are filled.
// Specimen IDs of quality-control runs (H-12 = Q) name control lots, not
// patients, and are skipped.
func phiScan(rec []byte, d *Delimiters, qc bool, set *app.PHISet, mask *uint32) {
	typ := rec[0]
	if typ != 'P' && typ != 'O' && typ != 'Q' || typ == 'O' && qc {
		return
	}
	it := newFieldIter(rec, d.Field)
	for {
		n, f, ok := it.next()
		if !ok || n > phiLastField {
			return
		}
		for i := range phiFields {
			pf := &phiFields[i]
			if pf.record != typ || pf.field != n || blank(f, d) {
				continue
			}
			kinds := pf.kind
			if kinds == 0 {
				kinds = queryRangeKinds(f, d)
			}
			if kinds != 0 {
				set.Add(kinds)
				*mask |= 1 << i
			}
		}
	}
}

// queryRangeKinds reads a range: each repeat is patient ID ^ specimen ID
// ^ …; the value "ALL" asks for everything and names nobody.
func queryRangeKinds(f []byte, d *Delimiters) app.PHIKind {
	if isAll(trimSpace(f)) {
		return 0
	}
	var kinds app.PHIKind
	rep := newFieldIter(f, d.Repeat)
	for {
		_, r, ok := rep.next()
		if !ok {
			return kinds
		}
		comp := newFieldIter(r, d.Component)
		for {
			n, c, ok := comp.next()
			if !ok {
				break
			}
			if c = trimSpace(c); len(c) == 0 || isAll(c) {
				continue
			}
			if n == 1 {
				kinds |= app.PHIPatientID
			} else {
				kinds |= app.PHIAccession
			}
		}
	}
}

func isAll(c []byte) bool {
	return len(c) == 3 && c[0]|0x20 == 'a' && c[1]|0x20 == 'l' && c[2]|0x20 == 'l'
}

// phiFieldNames appends the names of the fields in mask to dst, in table order.
func phiFieldNames(dst []string, mask uint32) []string {
	for i := range phiFields {
		if mask&(1<<i) != 0 {
			dst = append(dst, phiFields[i].name)
		}
	}
	return dst
}
