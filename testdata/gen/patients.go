package gen

import (
	"slices"
	"strconv"
)

// patient is a clearly fictional person. Every value that reaches the wire is
// reported in Truth.Planted so PHI-hygiene tests can look for it in sensor output.
type patient struct {
	family, given string
	mrn           string
	dob           string // YYYYMMDD, as HL7 and ASTM write it
	dobLabel      string // MM/DD/YYYY, as the labels print it
	sex           string
	street        string
	phone         string
	ssn           string
	kin           string // next of kin, HL7 NK1-2
	accessions    [3]string
	used          plantForms
}

// plantForms records which wire forms of a patient's values were written.
type plantForms uint16

const (
	usedNameHL7 plantForms = 1 << iota
	usedNameLabel
	usedMRN
	usedDOB
	usedDOBLabel
	usedStreet
	usedPhone
	usedSSN
	usedKin
	usedAcc0
)

// NATO words make names that no real person carries and that a reader spots as fake.
var givenNames = []string{
	"ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT", "GOLF", "HOTEL",
	"INDIA", "JULIETT", "KILO", "LIMA", "MIKE", "NOVEMBER", "OSCAR", "PAPA",
	"QUEBEC", "ROMEO", "SIERRA", "TANGO", "UNIFORM", "VICTOR", "WHISKEY", "XRAY",
}

func newPatients() []patient {
	ps := make([]patient, len(givenNames))
	for i, given := range givenNames {
		n := i + 1
		year := 1938 + (i*7)%70
		month := 1 + (i*5)%12
		day := 1 + (i*11)%28
		p := &ps[i]
		p.family, p.given = "TESTPATIENT", given
		p.mrn = "MRN-77340" + pad2(n)
		p.dob = strconv.Itoa(year) + pad2(month) + pad2(day)
		p.dobLabel = pad2(month) + "/" + pad2(day) + "/" + strconv.Itoa(year)
		p.sex = "F"
		if i%2 == 1 {
			p.sex = "M"
		}
		p.street = strconv.Itoa(100+n) + " TEST STREET"
		p.phone = "555-01" + pad2(n)
		p.ssn = "000-77-00" + pad2(n)
		p.kin = "TESTKIN^" + given
		for k := range p.accessions {
			p.accessions[k] = "ACC2603" + pad2(n) + strconv.Itoa(k+1)
		}
	}
	return ps
}

func (p *patient) nameHL7() string     { p.used |= usedNameHL7; return p.family + "^" + p.given }
func (p *patient) nameLabel() string   { p.used |= usedNameLabel; return p.family + ", " + p.given }
func (p *patient) useMRN() string      { p.used |= usedMRN; return p.mrn }
func (p *patient) useDOB() string      { p.used |= usedDOB; return p.dob }
func (p *patient) useDOBLabel() string { p.used |= usedDOBLabel; return p.dobLabel }
func (p *patient) useStreet() string   { p.used |= usedStreet; return p.street }
func (p *patient) usePhone() string    { p.used |= usedPhone; return p.phone }
func (p *patient) useSSN() string      { p.used |= usedSSN; return p.ssn }
func (p *patient) useKin() string      { p.used |= usedKin; return p.kin }

func (p *patient) accession(r *rng) string {
	k := r.IntN(len(p.accessions))
	p.used |= usedAcc0 << k
	return p.accessions[k]
}

// planted lists, sorted, every patient value written to the wire.
func planted(ps []patient) []string {
	var out []string
	for i := range ps {
		p := &ps[i]
		add := func(f plantForms, v string) {
			if p.used&f != 0 {
				out = append(out, v)
			}
		}
		add(usedNameHL7, p.family+"^"+p.given)
		add(usedNameLabel, p.family+", "+p.given)
		add(usedMRN, p.mrn)
		add(usedDOB, p.dob)
		add(usedDOBLabel, p.dobLabel)
		add(usedStreet, p.street)
		add(usedPhone, p.phone)
		add(usedSSN, p.ssn)
		add(usedKin, p.kin)
		for k, acc := range p.accessions {
			add(usedAcc0<<k, acc)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
