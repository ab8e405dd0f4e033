package gen

import (
	"strconv"
	"time"
)

// ASTM E1381 / CLSI LIS01-A2 control characters.
const (
	stx = 0x02
	etx = 0x03
	eot = 0x04
	enq = 0x05
	ack = 0x06
	lf  = 0x0a
	nak = 0x15
	etb = 0x17
)

// astmMaxText is the most text one frame carries (a 247-byte frame minus its
// STX, frame number, ETX/ETB, checksum and CR LF). Longer records continue in
// intermediate frames ended by ETB.
const astmMaxText = 240

// astmChecksum is the LIS01-A2 checksum: the sum, modulo 256, of every byte from
// the frame number through ETX or ETB.
func astmChecksum(body []byte) byte {
	var s byte
	for _, c := range body {
		s += c
	}
	return s
}

// appendFrame writes STX, frame number fn (0–7), text, ETX (final) or ETB,
// two uppercase hex checksum digits, CR LF.
func appendFrame(b []byte, fn int, text []byte, final bool) []byte {
	b = append(b, stx)
	bodyStart := len(b)
	b = append(b, byte('0'+fn%8))
	b = append(b, text...)
	if final {
		b = append(b, etx)
	} else {
		b = append(b, etb)
	}
	sum := astmChecksum(b[bodyStart:])
	const hexDigits = "0123456789ABCDEF"
	return append(b, hexDigits[sum>>4], hexDigits[sum&15], cr, lf)
}

// astmRecords accumulates CR-terminated records of one message.
type astmRecords struct {
	buf  []byte
	ends []int
}

func (rs *astmRecords) reset() {
	rs.buf = rs.buf[:0]
	rs.ends = rs.ends[:0]
}

// add writes one record: fields joined by '|', trailing empty fields dropped, CR.
func (rs *astmRecords) add(fields ...string) {
	rs.buf = appendSegment(rs.buf, fields[0], fields[1:])
	rs.ends = append(rs.ends, len(rs.buf))
}

func astmTime(t time.Time) string { return t.Format("20060102150405") }

func (rs *astmRecords) header(sender, receiver, processing string, when time.Time) {
	// H-2 holds the delimiters; the field list starts at H-3.
	rs.add("H", `\^&`, "", "", sender, "", "", "", "", receiver, "", processing, "LIS2-A2", astmTime(when))
}

func (rs *astmRecords) patientRec(seq int, p *patient) {
	rs.add("P", strconv.Itoa(seq), p.useMRN(), "", "", p.nameHL7(), "", p.useDOB(), p.sex)
}

// orderRec writes an O record; reportType is "O" for an order, "F" for results.
func (rs *astmRecords) orderRec(seq int, acc string, tests []labTest, when time.Time, specimen, reportType string) {
	var ids []byte
	for i := range tests {
		if i > 0 {
			ids = append(ids, '\\')
		}
		ids = append(ids, "^^^"...)
		ids = append(ids, tests[i].code...)
	}
	var f [26]string
	f[0] = "O"
	f[1] = strconv.Itoa(seq)
	f[2] = acc
	f[4] = string(ids)
	f[5] = "R"
	f[6] = astmTime(when)
	f[7] = astmTime(when)
	f[11] = "N"
	f[15] = specimen
	f[25] = reportType
	rs.add(f[:]...)
}

// resultRec writes an R record and returns its abnormal flag.
func (rs *astmRecords) resultRec(seq int, t *labTest, when time.Time, instrument string, r *rng) string {
	value, flag := resultValue(t, r)
	unit, ref := "", ""
	if t.coded == nil {
		unit, ref = t.unit, rangeText(t)
	}
	rs.add("R", strconv.Itoa(seq), "^^^"+t.code, value, unit, ref, flag, "", "F", "", "", astmTime(when), astmTime(when), instrument)
	return flag
}

func (rs *astmRecords) queryRec(seq int, acc string) {
	rs.add("Q", strconv.Itoa(seq), "^"+acc, "", "^^^ALL", "", "", "", "", "", "", "", "O")
}

func (rs *astmRecords) commentRec(seq int, text string) {
	rs.add("C", strconv.Itoa(seq), "I", text, "G")
}

func (rs *astmRecords) manufacturerRec(seq int, kind string, blob []byte) {
	rs.add("M", strconv.Itoa(seq), kind, string(blob))
}

func (rs *astmRecords) terminator() { rs.add("L", "1", "N") }
