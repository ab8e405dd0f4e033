package gen

import (
	"strconv"
	"time"
)

// appendLabel writes one ZPL II specimen label (^XA … ^XZ) for a 2x1 inch tube
// label: patient name, MRN as text and Code 128 barcode, birth date, accession,
// tube and collection time.
func appendLabel(b []byte, p *patient, acc string, pn *panel, when time.Time, station string) []byte {
	b = append(b, "^XA\r\n^CI28^PW406^LL203^LH0,0\r\n"...)
	b = appendField(b, 12, 10, "^A0N,26,24", p.nameLabel())
	b = appendField(b, 12, 40, "^A0N,20,18", "DOB: "+p.useDOBLabel()+"  "+p.sex)
	b = append(b, "^FO12,64^BY2^BCN,56,N,N,N^FD"...)
	b = append(b, p.useMRN()...)
	b = append(b, "^FS\r\n"...)
	b = appendField(b, 12, 126, "^A0N,20,18", p.mrn+"  "+acc)
	b = appendField(b, 12, 150, "^A0N,20,18", pn.code+"  "+pn.tube+"  "+pn.specimen)
	b = appendField(b, 12, 174, "^A0N,18,16", "Coll: "+when.Format("2006-01-02 15:04")+"  "+station)
	return append(b, "^PQ1\r\n^XZ\r\n"...)
}

// appendField writes ^FOx,y, a font command and ^FD text ^FS on one line.
func appendField(b []byte, x, y int, font, text string) []byte {
	b = append(b, "^FO"...)
	b = strconv.AppendInt(b, int64(x), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, font...)
	b = append(b, "^FD"...)
	b = append(b, text...)
	return append(b, "^FS\r\n"...)
}
