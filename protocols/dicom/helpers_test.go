package dicom

import (
	"encoding/binary"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// corpusDir holds the shared public captures; tests skip when it is absent.
const corpusDir = "../../../shared/corpus/pcap"

var t0 = time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC)

func newTestFlow() *app.Flow { return &app.Flow{ID: 1, Transport: app.TCP} }

// chunk is bytes sent in one direction, as one write of the sender.
type chunk struct {
	dir  app.Direction
	data []byte
}

// conversation is a synthetic DICOM exchange written from PS3.7/PS3.8.
type conversation struct {
	name, note string
	chunks     []chunk
}

// play feeds a conversation to a new analyzer, each chunk whole.
func play(c conversation, cfg *Config) (*prototest.Recorder, *app.Flow) {
	rec := &prototest.Recorder{}
	f := newTestFlow()
	a := NewAnalyzer(f, rec, cfg)
	for _, ch := range c.chunks {
		a.Data(ch.dir, ch.data, t0)
	}
	a.End(app.ClientToServer)
	a.End(app.ServerToClient)
	a.Expire()
	return rec, f
}

// ---- PDU builders (PS3.8 section 9.3) ----

func pdu(typ byte, body []byte) []byte {
	out := []byte{typ, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(out[2:], uint32(len(body)))
	return append(out, body...)
}

func item(typ byte, val []byte) []byte {
	out := []byte{typ, 0, 0, 0}
	binary.BigEndian.PutUint16(out[2:], uint16(len(val)))
	return append(out, val...)
}

func aeField(s string) []byte {
	b := []byte("                ")
	copy(b, s)
	return b
}

const (
	uidAppContext   = "1.2.840.10008.3.1.1.1"
	uidImplicitLE   = "1.2.840.10008.1.2"
	uidExplicitLE   = "1.2.840.10008.1.2.1"
	uidExplicitBE   = "1.2.840.10008.1.2.2"
	uidJPEGBaseline = "1.2.840.10008.1.2.4.50"
	uidVerification = "1.2.840.10008.1.1"
	uidCTStorage    = "1.2.840.10008.5.1.4.1.1.2"
	uidFindPatient  = "1.2.840.10008.5.1.4.1.2.1.1"
	uidImplClass    = "1.2.826.0.1.3680043.9.7433.1"
)

type pcDef struct {
	id       byte
	abstract string
	syntaxes []string
}

type userInfo struct {
	implUID, implName string
	maxPDU            uint32
	identityType      byte
	user, pass        string
}

func userInfoItem(u userInfo) []byte {
	var sub []byte
	ml := make([]byte, 4)
	binary.BigEndian.PutUint32(ml, u.maxPDU)
	sub = append(sub, item(0x51, ml)...)
	sub = append(sub, item(0x52, []byte(u.implUID))...)
	if u.identityType != 0 {
		v := []byte{u.identityType, 1, 0, 0}
		binary.BigEndian.PutUint16(v[2:], uint16(len(u.user)))
		v = append(v, u.user...)
		v = binary.BigEndian.AppendUint16(v, uint16(len(u.pass)))
		v = append(v, u.pass...)
		sub = append(sub, item(0x58, v)...)
	}
	sub = append(sub, item(0x55, []byte(u.implName))...)
	return item(0x50, sub)
}

func associateRQ(calling, called string, pcs []pcDef, u userInfo) []byte {
	body := []byte{0, 1, 0, 0}
	body = append(body, aeField(called)...)
	body = append(body, aeField(calling)...)
	body = append(body, make([]byte, 32)...)
	body = append(body, item(0x10, []byte(uidAppContext))...)
	for _, pc := range pcs {
		v := []byte{pc.id, 0, 0, 0}
		v = append(v, item(0x30, []byte(pc.abstract))...)
		for _, ts := range pc.syntaxes {
			v = append(v, item(0x40, []byte(ts))...)
		}
		body = append(body, item(0x20, v)...)
	}
	body = append(body, userInfoItem(u)...)
	return pdu(pduAssociateRQ, body)
}

// pcResult is one presentation context answer: result 0 accepts with syntax.
type pcResult struct {
	id     byte
	result byte
	syntax string
}

func associateAC(calling, called string, pcs []pcResult, u userInfo) []byte {
	body := []byte{0, 1, 0, 0}
	body = append(body, aeField(called)...)
	body = append(body, aeField(calling)...)
	body = append(body, make([]byte, 32)...)
	body = append(body, item(0x10, []byte(uidAppContext))...)
	for _, pc := range pcs {
		v := []byte{pc.id, 0, pc.result, 0}
		v = append(v, item(0x40, []byte(pc.syntax))...)
		body = append(body, item(0x21, v)...)
	}
	body = append(body, userInfoItem(u)...)
	return pdu(pduAssociateAC, body)
}

func shortPDU(typ byte, b0, b1, b2, b3 byte) []byte { return pdu(typ, []byte{b0, b1, b2, b3}) }

// pdv is one presentation data value.
type pdv struct {
	ctx, flags byte
	data       []byte
}

func pdata(pdvs ...pdv) []byte {
	var body []byte
	for _, p := range pdvs {
		body = binary.BigEndian.AppendUint32(body, uint32(len(p.data)+2))
		body = append(body, p.ctx, p.flags)
		body = append(body, p.data...)
	}
	return pdu(pduDataTF, body)
}

// ---- data set builders (PS3.5 section 7) ----

// elemImplicit encodes one implicit VR little endian element.
func elemImplicit(group, elem uint16, val []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, group)
	b = binary.LittleEndian.AppendUint16(b, elem)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(val)))
	return append(b, val...)
}

// elemExplicit encodes one explicit VR little endian element.
func elemExplicit(group, elem uint16, vr string, val []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, group)
	b = binary.LittleEndian.AppendUint16(b, elem)
	b = append(b, vr...)
	if vrs[[2]byte{vr[0], vr[1]}] {
		b = append(b, 0, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(val)))
	} else {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(val)))
	}
	return append(b, val...)
}

// elemExplicitBE encodes one explicit VR big endian element (short VRs only).
func elemExplicitBE(group, elem uint16, vr string, val []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, group)
	b = binary.BigEndian.AppendUint16(b, elem)
	b = append(b, vr...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(val)))
	return append(b, val...)
}

// undefinedHeader opens an undefined-length explicit element (SQ, OB).
func undefinedHeader(group, elem uint16, vr string) []byte {
	b := binary.LittleEndian.AppendUint16(nil, group)
	b = binary.LittleEndian.AppendUint16(b, elem)
	b = append(b, vr...)
	b = append(b, 0, 0)
	return binary.LittleEndian.AppendUint32(b, undefinedLength)
}

// delimiter encodes an item or delimiter tag (FFFE,xxxx) with a length.
func delimiter(elem uint16, n uint32) []byte {
	b := binary.LittleEndian.AppendUint16(nil, 0xFFFE)
	b = binary.LittleEndian.AppendUint16(b, elem)
	return binary.LittleEndian.AppendUint32(b, n)
}

// padded and uidValue give values an even length, as PS3.5 section 6.2
// requires: text is padded with a space, a UID with a NUL.
func padded(s string) []byte   { return evenLength(s, ' ') }
func uidValue(s string) []byte { return evenLength(s, 0) }

func evenLength(s string, pad byte) []byte {
	b := []byte(s)
	if len(b)%2 == 1 {
		b = append(b, pad)
	}
	return b
}

func us16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

// commandSet builds a command set (implicit VR LE, group 0000) with its group
// length first, as PS3.7 requires.
func commandSet(field uint16, msgID uint16, sopClass string, status int, dataSet bool) []byte {
	var body []byte
	if sopClass != "" {
		body = append(body, elemImplicit(0, tagAffectedSOPClass, uidValue(sopClass))...)
	}
	body = append(body, elemImplicit(0, tagCommandField, us16(field))...)
	if field&0x8000 == 0 {
		body = append(body, elemImplicit(0, tagMessageID, us16(msgID))...)
	} else {
		body = append(body, elemImplicit(0, tagRespondedID, us16(msgID))...)
	}
	dst := uint16(noDataSet)
	if dataSet {
		dst = 0x0000
	}
	body = append(body, elemImplicit(0, tagDataSetType, us16(dst))...)
	if status >= 0 {
		body = append(body, elemImplicit(0, tagStatus, us16(uint16(status)))...)
	}
	gl := binary.LittleEndian.AppendUint32(nil, uint32(len(body)))
	return append(elemImplicit(0, 0, gl), body...)
}
