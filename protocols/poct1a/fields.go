package poct1a

import (
	"strings"

	"labwatch/protocols/app"
)

// patientFields maps the patient (PT) elements of POCT1-A2 that identify a
// person to the kind they are reported as; the map value's field is the
// PHIFields entry. Other PT elements (location, gender, weight) are not
// identifiers.
var patientFields = map[string]struct {
	kind  app.PHIKind
	field string
}{
	"PT.patient_id":  {app.PHIPatientID, "POCT1 PT.patient_id"},
	"PT.name":        {app.PHIName, "POCT1 PT.name"},
	"PT.birth_date":  {app.PHIBirthDate, "POCT1 PT.birth_date"},
	"PT.address":     {app.PHIAddress, "POCT1 PT.address"},
	"PT.phone":       {app.PHIPhone, "POCT1 PT.phone"},
	"PT.telephone":   {app.PHIPhone, "POCT1 PT.telephone"},
	"PT.ssn":         {app.PHISSN, "POCT1 PT.ssn"},
	"PT.account_id":  {app.PHIAccount, "POCT1 PT.account_id"},
	"PT.visit_id":    {app.PHIAccount, "POCT1 PT.visit_id"},
	"PT.mother_name": {app.PHIRelative, "POCT1 PT.mother_name"},
}

// identityFields are the DEV elements of HEL.R01 kept as device identity.
const (
	fieldDeviceID     = "DEV.device_id"
	fieldVendor       = "DEV.vendor_id"
	fieldModel        = "DEV.model_id"
	fieldSerial       = "DEV.serial_id"
	fieldManufacturer = "DEV.manufacturer_name"
	fieldSoftware     = "DEV.sw_version"
	fieldHardware     = "DEV.hw_version"
)

// codeFields are coded values copied into Attrs under the key given. They
// are protocol codes (topic, request, directive), never free text.
var codeFields = map[string]string{
	"EOT.topic_cd":     "topic",
	"REQ.request_cd":   "request",
	"DTV.command_cd":   "directive",
	"TRM.reason_cd":    "end_reason",
	"DST.condition_cd": "condition",
	"SVC.role_cd":      "role",
}

// isPassword tells an element carrying an operator password or PIN (OPL.R01
// operator lists).
func isPassword(local string) bool {
	l := strings.ToLower(local)
	return strings.HasSuffix(l, "password") || strings.HasSuffix(l, ".pin")
}
