package dicom

import "labwatch/protocols/app"

// phiTag is one data element that identifies a patient, with the kind it is
// reported as and the field name that goes to PHIFields.
type phiTag struct {
	tag   uint32 // group<<16 | element
	kind  app.PHIKind
	field string
}

// phiTags lists the identifying elements of the Patient module (group 0010)
// and the few outside it that tie a study to a patient. Other group 0010
// elements with a value (sex, age, weight …) are only counted, in
// Counts["patient_tags"].
var phiTags = [...]phiTag{
	{0x00100010, app.PHIName, "DICOM (0010,0010)"},      // Patient's Name
	{0x00100020, app.PHIPatientID, "DICOM (0010,0020)"}, // Patient ID
	{0x00100021, app.PHIPatientID, "DICOM (0010,0021)"}, // Issuer of Patient ID
	{0x00100030, app.PHIBirthDate, "DICOM (0010,0030)"}, // Patient's Birth Date
	{0x00100032, app.PHIBirthDate, "DICOM (0010,0032)"}, // Patient's Birth Time
	{0x00101000, app.PHIPatientID, "DICOM (0010,1000)"}, // Other Patient IDs
	{0x00101001, app.PHIName, "DICOM (0010,1001)"},      // Other Patient Names
	{0x00101002, app.PHIPatientID, "DICOM (0010,1002)"}, // Other Patient IDs Sequence
	{0x00101005, app.PHIName, "DICOM (0010,1005)"},      // Patient's Birth Name
	{0x00101040, app.PHIAddress, "DICOM (0010,1040)"},   // Patient's Address
	{0x00101050, app.PHIInsurance, "DICOM (0010,1050)"}, // Insurance Plan Identification
	{0x00101060, app.PHIRelative, "DICOM (0010,1060)"},  // Patient's Mother's Birth Name
	{0x00102154, app.PHIPhone, "DICOM (0010,2154)"},     // Patient's Telephone Numbers
	{0x00102155, app.PHIPhone, "DICOM (0010,2155)"},     // Patient's Telecom Information
	{0x00080050, app.PHIAccession, "DICOM (0008,0050)"}, // Accession Number
	{0x00380010, app.PHIAccount, "DICOM (0038,0010)"},   // Admission ID
}

// phiFound collects, for one PDU, which identifying elements carried a value.
// A bit mask over phiTags: no allocation, a fixed field order.
type phiFound struct {
	mask         uint64
	patientTags  int
	datasetBytes int
}

// note records element tag with a value of n bytes (n may be the undefined
// length of a sequence).
func (p *phiFound) note(tag uint32, n uint32) {
	if n == 0 || tag&0xFFFF == 0 {
		return // empty (a C-FIND return key) or a group length
	}
	if tag>>16 == 0x0010 {
		p.patientTags++
	}
	for i := range phiTags {
		if phiTags[i].tag == tag {
			p.mask |= 1 << i
			return
		}
	}
}

// fill adds the kinds and field names found to a message.
func (p *phiFound) fill(set *app.PHISet, fields []string) []string {
	for i := range phiTags {
		if p.mask&(1<<i) != 0 {
			set.Add(phiTags[i].kind)
			fields = append(fields, phiTags[i].field)
		}
	}
	return fields
}
