package hl7

import "labwatch/protocols/app"

// phiField is one field that carries a patient identifier when it is not
// empty. Only the kind and the field name are ever reported, never the value.
type phiField struct {
	name  string // reported in Message.PHIFields
	seg   segKind
	field int
	kind  app.PHIKind
}

// phiFields lists the identifier fields the parser checks. The index of an
// entry is its bit in PHIFieldSet, so the list must stay under 64 entries.
var phiFields = [...]phiField{
	{"PID-2", segPID, 2, app.PHIPatientID},  // patient ID (external)
	{"PID-3", segPID, 3, app.PHIPatientID},  // patient identifier list (MRN)
	{"PID-4", segPID, 4, app.PHIPatientID},  // alternate patient ID
	{"PID-5", segPID, 5, app.PHIName},       // patient name
	{"PID-6", segPID, 6, app.PHIRelative},   // mother's maiden name
	{"PID-7", segPID, 7, app.PHIBirthDate},  // date of birth
	{"PID-9", segPID, 9, app.PHIName},       // patient alias
	{"PID-11", segPID, 11, app.PHIAddress},  // patient address
	{"PID-13", segPID, 13, app.PHIPhone},    // home phone
	{"PID-14", segPID, 14, app.PHIPhone},    // business phone
	{"PID-18", segPID, 18, app.PHIAccount},  // patient account number
	{"PID-19", segPID, 19, app.PHISSN},      // SSN
	{"PID-20", segPID, 20, app.PHIOther},    // driver's licence
	{"PID-21", segPID, 21, app.PHIRelative}, // mother's identifier
	{"PV1-19", segPV1, 19, app.PHIAccount},  // visit number
	{"NK1-2", segNK1, 2, app.PHIRelative},   // next of kin name
	{"NK1-4", segNK1, 4, app.PHIRelative},   // next of kin address
	{"NK1-5", segNK1, 5, app.PHIRelative},   // next of kin phone
	{"NK1-6", segNK1, 6, app.PHIRelative},   // next of kin business phone
	{"NK1-37", segNK1, 37, app.PHISSN},      // contact person SSN
	{"GT1-3", segGT1, 3, app.PHIRelative},   // guarantor name
	{"GT1-5", segGT1, 5, app.PHIRelative},   // guarantor address
	{"GT1-6", segGT1, 6, app.PHIRelative},   // guarantor home phone
	{"GT1-7", segGT1, 7, app.PHIRelative},   // guarantor business phone
	{"GT1-8", segGT1, 8, app.PHIRelative},   // guarantor date of birth
	{"GT1-12", segGT1, 12, app.PHISSN},      // guarantor SSN
	{"IN1-16", segIN1, 16, app.PHIRelative}, // name of insured
	{"IN1-18", segIN1, 18, app.PHIRelative}, // insured's date of birth
	{"IN1-19", segIN1, 19, app.PHIRelative}, // insured's address
	{"IN1-36", segIN1, 36, app.PHIInsurance},
	{"IN1-49", segIN1, 49, app.PHIInsurance}, // insured's ID number
	{"IN2-2", segIN2, 2, app.PHISSN},         // insured's SSN
	{"MRG-1", segMRG, 1, app.PHIPatientID},   // prior patient identifier list
	{"MRG-3", segMRG, 3, app.PHIAccount},     // prior account number
	{"MRG-7", segMRG, 7, app.PHIName},        // prior patient name
	{"ORC-2", segORC, 2, app.PHIAccession},   // placer order number
	{"ORC-3", segORC, 3, app.PHIAccession},   // filler order number
	{"OBR-2", segOBR, 2, app.PHIAccession},
	{"OBR-3", segOBR, 3, app.PHIAccession},
	{"SPM-2", segSPM, 2, app.PHIAccession}, // specimen ID
	{"SAC-3", segSAC, 3, app.PHIAccession}, // container identifier
	{"QRD-8", segQRD, 8, app.PHIPatientID}, // who subject filter
	{"QPD-3", segQPD, 3, app.PHIPatientID}, // query parameters; see qpdKinds
}

// phiIndex lists, per segment kind, the phiFields entries to check, and the
// highest field number needed so splitting can stop early.
var phiIndex, phiMaxField = func() (idx [numSegKinds][]uint8, maxField [numSegKinds]int) {
	for i, f := range phiFields {
		idx[f.seg] = append(idx[f.seg], uint8(i))
		maxField[f.seg] = max(maxField[f.seg], f.field)
	}
	return idx, maxField
}()

const qpdField = len(phiFields) - 1 // index of "QPD-3"

// PHIFieldSet is a set of identifier fields (bits index phiFields).
type PHIFieldSet uint64

// Names lists the field names in table order ("PID-3", "NK1-2" ...).
func (s PHIFieldSet) Names() []string {
	return s.AppendNames(nil)
}

// AppendNames appends the field names to dst, so a caller can reuse a slice.
func (s PHIFieldSet) AppendNames(dst []string) []string {
	for i := range phiFields {
		if s&(1<<i) != 0 {
			dst = append(dst, phiFields[i].name)
		}
	}
	return dst
}

// qpdKinds finds the identifier kinds a query parameter field asks for.
// IHE-style queries name PID fields ("@PID.5.1^SMITH"): each named field
// with a value counts as its PID kind. Any other non-empty parameter is
// treated as a patient identifier, the common case of QBP^Q21/Q22.
func qpdKinds(field []byte, sep *Separators) app.PHISet {
	var set app.PHISet
	rest := field
	for len(rest) > 0 {
		rep := piece(rest, sep.Repetition, 1)
		if len(rep) < len(rest) {
			rest = rest[len(rep)+1:]
		} else {
			rest = nil
		}
		name := piece(rep, sep.Component, 1)
		if len(name) < 5 || string(name[:5]) != "@PID." {
			if sep.hasValue(rep) {
				set.Add(app.PHIPatientID)
			}
			continue
		}
		n := 0
		for _, c := range name[5:] {
			if c < '0' || c > '9' || n > 99 {
				break
			}
			n = n*10 + int(c-'0')
		}
		if len(rep) == len(name) || !sep.hasValue(rep[len(name)+1:]) {
			continue
		}
		for _, i := range phiIndex[segPID] {
			if phiFields[i].field == n {
				set.Add(phiFields[i].kind)
			}
		}
	}
	return set
}
