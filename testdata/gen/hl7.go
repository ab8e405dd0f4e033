package gen

import (
	"strconv"
	"time"
)

// MLLP framing (HL7 v2 minimal lower layer protocol).
const (
	mllpStart = 0x0b
	mllpEnd   = 0x1c
	cr        = 0x0d
)

// hl7Header is what an MSH segment says about a message.
type hl7Header struct {
	sendApp, sendFac, recvApp, recvFac string
	version                            string
	control                            string
	when                               time.Time
}

// appendSegment writes one segment: its name, then fields 1..n joined by '|',
// trailing empty fields dropped, then the CR terminator.
func appendSegment(b []byte, name string, fields []string) []byte {
	n := len(fields)
	for n > 0 && fields[n-1] == "" {
		n--
	}
	b = append(b, name...)
	for _, f := range fields[:n] {
		b = append(b, '|')
		b = append(b, f...)
	}
	return append(b, cr)
}

func hl7Time(t time.Time) string { return t.Format("20060102150405") }

// hl7Type spells MSH-9 the way each version does: a message structure component
// from v2.5 on.
func hl7Type(version, code, event, structure string) string {
	if version >= "2.5" && structure != "" {
		return code + "^" + event + "^" + structure
	}
	return code + "^" + event
}

func appendMSH(b []byte, h *hl7Header, msgType string) []byte {
	// MSH-1 is the field separator itself, so MSH-2 follows the name directly.
	b = append(b, "MSH|^~\\&"...)
	var f [14]string // f[i] is MSH-(i+3)
	f[0] = h.sendApp
	f[1] = h.sendFac
	f[2] = h.recvApp
	f[3] = h.recvFac
	f[4] = hl7Time(h.when)
	f[6] = msgType
	f[7] = h.control
	f[8] = "P"
	f[9] = h.version
	if h.version >= "2.4" {
		f[12], f[13] = "AL", "NE" // accept acks always, application acks never
	}
	return appendSegment(b, "", f[:])
}

// pidDetail says how much of the patient a sender puts in PID.
type pidDetail uint8

const (
	pidBasic   pidDetail = iota // identifier, name, birth date, sex
	pidAddress                  // plus street and phone
	pidFull                     // plus SSN
)

func appendPID(b []byte, p *patient, d pidDetail) []byte {
	var f [19]string
	f[0] = "1"
	f[2] = p.useMRN() + "^^^GENLAB^MR"
	f[4] = p.nameHL7()
	f[6] = p.useDOB()
	f[7] = p.sex
	if d >= pidAddress {
		f[10] = p.useStreet() + "^^TESTVILLE^ZZ^00000^USA"
		f[12] = p.usePhone()
	}
	if d >= pidFull {
		f[18] = p.useSSN()
	}
	return appendSegment(b, "PID", f[:])
}

func appendPV1(b []byte, class string) []byte {
	return appendSegment(b, "PV1", []string{"1", class, "OPLAB^^^GENLAB", "", "", "", "1234^DOCTOR^TEST^^^^MD"})
}

func appendORC(b []byte, control, acc string, when time.Time) []byte {
	var f [12]string
	f[0] = control
	f[1] = acc
	f[2] = acc
	if control == "RE" {
		f[4] = "CM"
	}
	f[8] = hl7Time(when)
	f[11] = "1234^DOCTOR^TEST"
	return appendSegment(b, "ORC", f[:])
}

func appendOBR(b []byte, set int, acc string, pn *panel, collected, reported time.Time, status string) []byte {
	var f [25]string
	f[0] = strconv.Itoa(set)
	f[1] = acc
	f[2] = acc
	f[3] = pn.code + "^" + pn.name + "^L"
	f[6] = hl7Time(collected)
	f[14] = pn.specimen
	f[15] = "1234^DOCTOR^TEST"
	if status != "" {
		f[21] = hl7Time(reported)
		f[24] = status
	}
	return appendSegment(b, "OBR", f[:])
}

// appendOBX writes one result; device names the analyzer in OBX-18.
func appendOBX(b []byte, set int, t *labTest, version string, when time.Time, device string, r *rng) []byte {
	var f [18]string
	f[0] = strconv.Itoa(set)
	f[2] = t.loinc + "^" + t.name + "^LN"
	value, flag := resultValue(t, r)
	if t.coded != nil {
		f[1] = "ST"
	} else {
		f[1] = "NM"
		f[5] = t.unit
		f[6] = rangeText(t)
	}
	f[4] = value
	f[7] = flag
	f[10] = "F"
	f[13] = hl7Time(when)
	if version >= "2.4" {
		f[17] = device
	}
	return appendSegment(b, "OBX", f[:])
}

// resultValue draws a result, mostly inside the reference range, and its flag.
func resultValue(t *labTest, r *rng) (value, flag string) {
	if t.coded != nil {
		if r.chance(0.1) {
			return t.coded[1+r.IntN(len(t.coded)-1)], "A"
		}
		return t.coded[0], "N"
	}
	span := t.hi - t.lo
	v := t.lo + span*r.Float64()
	flag = "N"
	switch u := r.Float64(); {
	case u < 0.08:
		v, flag = t.hi+span*0.5*r.Float64()+span*0.01, "H"
	case u < 0.14 && t.lo > 0:
		v, flag = t.lo*(0.6+0.39*r.Float64()), "L"
	}
	return strconv.FormatFloat(v, 'f', t.decimals, 64), flag
}

func rangeText(t *labTest) string {
	return strconv.FormatFloat(t.lo, 'f', t.decimals, 64) + "-" + strconv.FormatFloat(t.hi, 'f', t.decimals, 64)
}

// hl7Order is the clinical content of one HL7 message.
type hl7Order struct {
	patient *patient
	acc     string
	panel   *panel
	device  string // analyzer name^serial, for OBX-18
	// report, when set, is a base64 PDF report attached as an ED observation,
	// as LIS-to-EHR interfaces often send.
	report []byte
}

func appendORU(b []byte, h *hl7Header, o *hl7Order, r *rng) []byte {
	b = append(b, mllpStart)
	b = appendMSH(b, h, hl7Type(h.version, "ORU", "R01", "ORU_R01"))
	b = appendPID(b, o.patient, pidBasic)
	b = appendPV1(b, "O")
	collected := h.when.Add(-time.Duration(20+r.IntN(90)) * time.Minute)
	b = appendORC(b, "RE", o.acc, collected)
	b = appendOBR(b, 1, o.acc, o.panel, collected, h.when, "F")
	for i := range o.panel.tests {
		b = appendOBX(b, i+1, &o.panel.tests[i], h.version, h.when, o.device, r)
	}
	if o.report != nil {
		b = append(b, "OBX|"...)
		b = strconv.AppendInt(b, int64(len(o.panel.tests)+1), 10)
		b = append(b, "|ED|PDF^Report^L||^AP^PDF^Base64^"...)
		b = append(b, o.report...)
		b = append(b, "||||||F"...)
		b = append(b, cr)
	}
	return append(b, mllpEnd, cr)
}

func appendORM(b []byte, h *hl7Header, o *hl7Order) []byte {
	b = append(b, mllpStart)
	b = appendMSH(b, h, hl7Type(h.version, "ORM", "O01", "ORM_O01"))
	b = appendPID(b, o.patient, pidAddress)
	b = appendPV1(b, "O")
	b = appendORC(b, "NW", o.acc, h.when)
	b = appendOBR(b, 1, o.acc, o.panel, h.when, h.when, "")
	return append(b, mllpEnd, cr)
}

func appendOML(b []byte, h *hl7Header, o *hl7Order) []byte {
	b = append(b, mllpStart)
	b = appendMSH(b, h, hl7Type(h.version, "OML", "O21", "OML_O21"))
	b = appendPID(b, o.patient, pidBasic)
	b = appendPV1(b, "O")
	b = appendORC(b, "NW", o.acc, h.when)
	b = appendSegment(b, "TQ1", []string{"1", "", "", "", "", "", "", "", "R"})
	b = appendOBR(b, 1, o.acc, o.panel, h.when, h.when, "")
	return append(b, mllpEnd, cr)
}

func appendADT(b []byte, h *hl7Header, p *patient) []byte {
	b = append(b, mllpStart)
	b = appendMSH(b, h, hl7Type(h.version, "ADT", "A01", "ADT_A01"))
	b = appendSegment(b, "EVN", []string{"A01", hl7Time(h.when)})
	b = appendPID(b, p, pidFull)
	b = appendSegment(b, "NK1", []string{"1", p.useKin(), "SPO^Spouse^HL70063"})
	b = appendPV1(b, "I")
	return append(b, mllpEnd, cr)
}

// appendACK answers the message whose header is orig: AA, or AE with an ERR
// segment that names a field, never its content.
func appendACK(b []byte, h *hl7Header, event, origControl string, reject bool) []byte {
	typ := "ACK"
	switch {
	case h.version >= "2.5":
		typ = "ACK^" + event + "^ACK"
	case h.version >= "2.4":
		typ = "ACK^" + event
	}
	b = append(b, mllpStart)
	b = appendMSH(b, h, typ)
	if reject {
		b = appendSegment(b, "MSA", []string{"AE", origControl, "Unknown test code"})
		if h.version >= "2.5" {
			b = appendSegment(b, "ERR", []string{"", "OBR^1^4", "207^Application internal error^HL70357", "E"})
		} else {
			b = appendSegment(b, "ERR", []string{"OBR^1^4^207&Application internal error&HL70357"})
		}
	} else {
		b = appendSegment(b, "MSA", []string{"AA", origControl})
	}
	return append(b, mllpEnd, cr)
}
