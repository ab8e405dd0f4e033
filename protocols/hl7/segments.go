package hl7

// segKind numbers the segments the parser counts or reads. Anything else is
// segOther (or a Z-segment, counted apart).
type segKind uint8

const (
	segOther segKind = iota
	segMSH
	segEVN
	segPID
	segPD1
	segPV1
	segNK1
	segGT1
	segIN1
	segIN2
	segMRG
	segORC
	segOBR
	segOBX
	segNTE
	segSPM
	segSAC
	segTQ1
	segDG1
	segAL1
	segTXA
	segFT1
	segMSA
	segERR
	segQAK
	segQRD
	segQPD
	segRCP
	segSFT
	segPRT
	segEQU
	numSegKinds
)

// segNames doubles as the Counts keys, so they are static strings.
var segNames = [numSegKinds]string{
	"other", "MSH", "EVN", "PID", "PD1", "PV1", "NK1", "GT1", "IN1", "IN2", "MRG",
	"ORC", "OBR", "OBX", "NTE", "SPM", "SAC", "TQ1", "DG1", "AL1", "TXA", "FT1",
	"MSA", "ERR", "QAK", "QRD", "QPD", "RCP", "SFT", "PRT", "EQU",
}

// kindOf maps a segment id to its kind. The switch on string(id) compiles to
// comparisons without allocating.
func kindOf(id []byte) segKind {
	switch string(id) {
	case "MSH":
		return segMSH
	case "EVN":
		return segEVN
	case "PID":
		return segPID
	case "PD1":
		return segPD1
	case "PV1":
		return segPV1
	case "NK1":
		return segNK1
	case "GT1":
		return segGT1
	case "IN1":
		return segIN1
	case "IN2":
		return segIN2
	case "MRG":
		return segMRG
	case "ORC":
		return segORC
	case "OBR":
		return segOBR
	case "OBX":
		return segOBX
	case "NTE":
		return segNTE
	case "SPM":
		return segSPM
	case "SAC":
		return segSAC
	case "TQ1":
		return segTQ1
	case "DG1":
		return segDG1
	case "AL1":
		return segAL1
	case "TXA":
		return segTXA
	case "FT1":
		return segFT1
	case "MSA":
		return segMSA
	case "ERR":
		return segERR
	case "QAK":
		return segQAK
	case "QRD":
		return segQRD
	case "QPD":
		return segQPD
	case "RCP":
		return segRCP
	case "SFT":
		return segSFT
	case "PRT":
		return segPRT
	case "EQU":
		return segEQU
	}
	return segOther
}

// validSegmentID tells whether a segment starts with a well-formed id: one
// upper-case letter and two upper-case letters or digits, followed by the
// field separator or the end of the segment.
func validSegmentID(seg []byte, fieldSep byte) bool {
	if len(seg) < 3 || len(seg) > 3 && seg[3] != fieldSep {
		return false
	}
	if seg[0] < 'A' || seg[0] > 'Z' {
		return false
	}
	for _, c := range seg[1:3] {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// SegmentCounts counts segments by kind; use Summary.Count to read it.
type SegmentCounts [numSegKinds]int

// valueTypes are the OBX-2 data types counted one by one; the Counts keys
// are precomputed so that reporting them does not build strings.
var valueTypes = [...]string{
	"AD", "CE", "CF", "CK", "CN", "CNE", "CP", "CWE", "CX", "DR", "DT", "DTM",
	"ED", "FT", "ID", "IS", "MA", "MO", "NA", "NM", "PN", "RP", "SN", "ST",
	"TM", "TN", "TS", "TX", "XAD", "XCN", "XON", "XPN", "XTN",
}

const (
	vtOther = len(valueTypes)     // a value type not in the list
	vtNone  = len(valueTypes) + 1 // OBX-2 empty
	numVT   = len(valueTypes) + 2
)

var valueTypeKeys = func() [numVT]string {
	var k [numVT]string
	for i, vt := range valueTypes {
		k[i] = "OBX." + vt
	}
	k[vtOther] = "OBX.other"
	k[vtNone] = "OBX.none"
	return k
}()

// ValueTypeCounts counts OBX segments by value type (OBX-2).
type ValueTypeCounts [numVT]int

func valueTypeIndex(vt []byte) int {
	if len(vt) == 0 {
		return vtNone
	}
	for i, name := range valueTypes {
		if string(vt) == name {
			return i
		}
	}
	return vtOther
}
