package hl7

import "labwatch/protocols/app"

// Summary is what ParseMessage extracts from one message. Every string is a
// copy of a non-patient field (header, acknowledgement, software, device),
// cut to Config.MaxValueBytes, unescaped when it held an escape sequence and
// with control bytes replaced by '?'. Patient fields are only tested for
// presence: PHI and PHIFields say which were present, never what they held.
type Summary struct {
	Separators Separators

	SendingApp        string // MSH-3, component 1 (component 2 when 1 is empty)
	SendingFacility   string // MSH-4, likewise
	ReceivingApp      string // MSH-5
	ReceivingFacility string // MSH-6
	Sender            string // "APP^FACILITY" from MSH-3/MSH-4
	Receiver          string // "APP^FACILITY" from MSH-5/MSH-6

	Time         string // MSH-7 as sent
	MessageType  string // MSH-9.1, e.g. "ORU"
	Event        string // MSH-9.2, e.g. "R01" ("" when absent or malformed)
	Structure    string // MSH-9.3, e.g. "ORU_R01"
	Key          string // summary key: "ORU^R01", or "ACK" for any acknowledgement
	ControlID    string // MSH-10
	ProcessingID string // MSH-11.1 (P, T, D)
	Version      string // MSH-12.1
	AcceptAck    string // MSH-15 accept acknowledgement type (AL, NE, ER, SU)
	AppAck       string // MSH-16 application acknowledgement type
	Charset      string // MSH-18, first repetition

	AckCode      string // MSA-1 (AA, AE, AR, CA, CE, CR)
	AckControlID string // MSA-2: the control ID acknowledged
	ErrorCode    string // first ERR: ERR-3.1 (v2.5+) or ERR-1.4.1 (older)

	Device      string // first device identifier (PRT-16, PRT-10, OBX-18, EQU-1)
	DeviceField string // where Device came from, e.g. "PRT-16"

	SoftwareVendor  string // SFT-1.1
	SoftwareVersion string // SFT-2
	SoftwareProduct string // SFT-3
	Software        string // "PRODUCT VERSION" from SFT-3 and SFT-2

	Segments      int // segments parsed (blank lines excluded)
	SegmentCounts SegmentCounts
	ZSegments     int // vendor Z-segments
	OtherSegments int // well-formed ids the parser does not track
	BadSegments   int // segments with a malformed id
	ValueTypes    ValueTypeCounts

	PHI       app.PHISet  // identifier kinds present
	PHIFields PHIFieldSet // fields they were found in

	Warnings Warnings // non-fatal violations (each is a reason code)
	// FirstBadSegment and FirstControlSegment are the 1-based positions of
	// the first segment with a malformed id and with control bytes.
	FirstBadSegment     int
	FirstControlSegment int
	Truncated           bool   // cut by MaxMessageBytes or MaxSegments
	Encoding            string // "UTF-16LE"/"UTF-16BE" when transcoded, else ""
	Bytes               int    // bytes of input this message used

	Batch BatchHeader // enclosing FHS/BHS, filled by the analyzer
}

// Count returns how many segments with this id the message held, for the
// ids the parser tracks (see segNames), "Z" for Z-segments, "other" for
// the rest.
func (s *Summary) Count(id string) int {
	switch id {
	case "Z":
		return s.ZSegments
	case "other":
		return s.OtherSegments
	}
	for k, name := range segNames {
		if name == id && k != int(segOther) {
			return s.SegmentCounts[k]
		}
	}
	return 0
}

// ValueTypeCount returns how many OBX segments had this OBX-2 value type.
func (s *Summary) ValueTypeCount(vt string) int {
	return s.ValueTypes[valueTypeIndex([]byte(vt))]
}

// Results is the number of observations (OBX).
func (s *Summary) Results() int { return s.SegmentCounts[segOBX] }

// Orders is the number of orders: ORC segments, or OBR when there is no ORC.
func (s *Summary) Orders() int {
	if n := s.SegmentCounts[segORC]; n > 0 {
		return n
	}
	return s.SegmentCounts[segOBR]
}

// Queries is the number of query segments (QRD, QPD).
func (s *Summary) Queries() int { return s.SegmentCounts[segQRD] + s.SegmentCounts[segQPD] }

// IsAck tells whether the message is an acknowledgement or a response that
// acknowledges another message (it carries MSA, or is typed ACK).
func (s *Summary) IsAck() bool { return s.MessageType == "ACK" || s.SegmentCounts[segMSA] > 0 }

// ExpectsAck tells whether the sender waits for an acknowledgement: any
// message that is not itself one, unless enhanced mode turns both
// acknowledgements off or asks for errors only (MSH-15/MSH-16 in NE, ER).
func (s *Summary) ExpectsAck() bool {
	if s.IsAck() {
		return false
	}
	quiet := func(v string) bool { return v == "NE" || v == "ER" }
	if s.AcceptAck == "" && s.AppAck == "" {
		return true // original mode: the application acknowledgement is due
	}
	return !(quiet(s.AcceptAck) && quiet(s.AppAck))
}

// Warning is one non-fatal violation found in a message that was otherwise
// parsed. Its String is the anomaly reason code.
type Warning uint16

const (
	WarnBadSegmentID Warning = 1 << iota
	WarnControlChars
	WarnMissingControlID
	WarnBadVersion
	WarnBadEvent
	WarnMissingMSA
	WarnBadAckCode
	WarnTooManySegments
	WarnTruncated
	numWarnings = iota
)

var warningReasons = [numWarnings]string{
	ReasonBadSegmentID, ReasonControlChars, ReasonMissingMSH10, ReasonBadVersion,
	ReasonBadMSH9, ReasonMissingMSA, ReasonBadAckCode, ReasonTooManySegments,
	ReasonMsgTooLarge,
}

// Warnings is a set of Warning.
type Warnings uint16

// Has tells whether w is in the set.
func (ws Warnings) Has(w Warning) bool { return ws&Warnings(w) != 0 }

func (ws *Warnings) add(w Warning) { *ws |= Warnings(w) }

// Reasons lists the reason codes of the set in a fixed order.
func (ws Warnings) Reasons() []string {
	var out []string
	for i, r := range warningReasons {
		if ws&(1<<i) != 0 {
			out = append(out, r)
		}
	}
	return out
}

func (w Warning) String() string {
	for i, r := range warningReasons {
		if w == 1<<i {
			return r
		}
	}
	return "unknown"
}
