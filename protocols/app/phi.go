package app

import "strings"

// PHIKind is one kind of patient identifier. Parsers report kinds, never values.
type PHIKind uint32

// The kinds follow the HIPAA identifier list as far as lab traffic carries them.
const (
	PHIPatientID PHIKind = 1 << iota // MRN, patient ID, PID-2/3/4, ASTM P-3/4/5
	PHIName                          // patient name
	PHIBirthDate                     // date of birth
	PHIAddress                       // street address
	PHIPhone                         // phone number
	PHISSN                           // social security or national ID number
	PHIAccount                       // patient account / visit number
	PHIRelative                      // next of kin, guarantor, names of relatives
	PHIInsurance                     // insurance member or policy number
	PHIAccession                     // specimen accession number tied to a patient
	PHIOther                         // other identifier (email, driver's licence)
)

var phiKindNames = [...]string{
	"patient_id", "name", "birth_date", "address", "phone", "ssn", "account",
	"relative", "insurance", "accession", "other",
}

func (k PHIKind) String() string {
	for i, name := range phiKindNames {
		if k == 1<<i {
			return name
		}
	}
	return "unknown"
}

// PHISet is a set of PHI kinds.
type PHISet uint32

// Add puts kind k in the set.
func (s *PHISet) Add(k PHIKind) { *s |= PHISet(k) }

// Has tells whether kind k is in the set.
func (s PHISet) Has(k PHIKind) bool { return s&PHISet(k) != 0 }

// Empty tells whether no kind is set.
func (s PHISet) Empty() bool { return s == 0 }

// Kinds lists the kind names in a fixed order.
func (s PHISet) Kinds() []string {
	var out []string
	for i, name := range phiKindNames {
		if s&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

func (s PHISet) String() string { return strings.Join(s.Kinds(), ",") }
