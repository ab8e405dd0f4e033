package dicom

import (
	"bytes"

	"labwatch/protocols/app"
)

// Fictional patient values planted in the synthetic data sets. None may ever
// appear in what the package emits (TestNoPatientValueLeaks).
var planted = []string{
	"Fictional^Jane", "PLANTMRN0042", "19700101", "12 Planted Lane^Springfield",
	"555-0100", "PLANTACC77", "Fictional^Mother", "OTHERID991", "ADM-PLANT-5",
}

const (
	c2s = app.ClientToServer
	s2c = app.ServerToClient
)

// storeDataset is a CT image header in explicit VR little endian: patient
// module, an accession number, a nested sequence holding another patient ID,
// and 2 KiB of native pixel data (OW, defined length).
func storeDataset() []byte {
	var b []byte
	b = append(b, elemExplicit(0x0008, 0x0016, "UI", uidValue(uidCTStorage))...)
	b = append(b, elemExplicit(0x0008, 0x0018, "UI", uidValue("1.2.826.0.1.3680043.9.7433.2.1"))...)
	b = append(b, elemExplicit(0x0008, 0x0050, "SH", padded(planted[5]))...)
	b = append(b, elemExplicit(0x0008, 0x0060, "CS", padded("CT"))...)
	b = append(b, elemExplicit(0x0010, 0x0010, "PN", padded(planted[0]))...)
	b = append(b, elemExplicit(0x0010, 0x0020, "LO", padded(planted[1]))...)
	b = append(b, elemExplicit(0x0010, 0x0030, "DA", padded(planted[2]))...)
	b = append(b, elemExplicit(0x0010, 0x0040, "CS", padded("F"))...)
	// Other Patient IDs Sequence, undefined length, one item of undefined length.
	b = append(b, undefinedHeader(0x0010, 0x1002, "SQ")...)
	b = append(b, delimiter(0xE000, undefinedLength)...)
	b = append(b, elemExplicit(0x0010, 0x0020, "LO", padded(planted[7]))...)
	b = append(b, delimiter(0xE00D, 0)...)
	b = append(b, delimiter(0xE0DD, 0)...)
	b = append(b, elemExplicit(0x0010, 0x1040, "LO", padded(planted[3]))...)
	b = append(b, elemExplicit(0x0010, 0x2154, "SH", padded(planted[4]))...)
	b = append(b, elemExplicit(0x0020, 0x000D, "UI", uidValue("1.2.826.0.1.3680043.9.7433.3.1"))...)
	b = append(b, elemExplicit(0x0028, 0x0010, "US", us16(32))...)
	b = append(b, elemExplicit(0x0028, 0x0011, "US", us16(32))...)
	// Pixel data whose bytes spell patient-tag headers, to prove values are
	// skipped, not scanned.
	pixels := bytes.Repeat(elemExplicit(0x0010, 0x0010, "PN", []byte("XX")), 2048/10+1)[:2048]
	b = append(b, elemExplicit(0x7FE0, 0x0010, "OW", pixels)...)
	return b
}

// encapsulatedDataset is a JPEG image: explicit VR LE header elements and
// encapsulated pixel data (offset table and two fragments).
func encapsulatedDataset() []byte {
	var b []byte
	b = append(b, elemExplicit(0x0008, 0x0016, "UI", uidValue(uidCTStorage))...)
	b = append(b, elemExplicit(0x0010, 0x0020, "LO", padded(planted[1]))...)
	b = append(b, undefinedHeader(0x7FE0, 0x0010, "OB")...)
	b = append(b, delimiter(0xE000, 0)...)
	frag := bytes.Repeat([]byte{0xFF, 0xFE, 0x00, 0xE0, 0x10, 0x00, 0x10, 0x00}, 64)
	b = append(b, delimiter(0xE000, uint32(len(frag)))...)
	b = append(b, frag...)
	b = append(b, delimiter(0xE000, 4)...)
	b = append(b, 0xFF, 0xD9, 0, 0)
	b = append(b, delimiter(0xE0DD, 0)...)
	return b
}

// findIdentifier is a C-FIND patient-level query in implicit VR LE: patient
// name as an empty return key, patient ID as a wildcard matching key.
func findIdentifier() []byte {
	var b []byte
	b = append(b, elemImplicit(0x0008, 0x0052, padded("PATIENT"))...)
	b = append(b, elemImplicit(0x0010, 0x0010, nil)...)
	b = append(b, elemImplicit(0x0010, 0x0020, padded("PLANT*"))...)
	b = append(b, elemImplicit(0x0010, 0x0030, nil)...)
	return b
}

// findMatch is one C-FIND match in implicit VR LE.
func findMatch(name, id string) []byte {
	var b []byte
	b = append(b, elemImplicit(0x0008, 0x0052, padded("PATIENT"))...)
	b = append(b, elemImplicit(0x0010, 0x0010, padded(name))...)
	b = append(b, elemImplicit(0x0010, 0x0020, padded(id))...)
	b = append(b, elemImplicit(0x0010, 0x0030, padded(planted[2]))...)
	b = append(b, elemImplicit(0x0010, 0x1060, padded(planted[6]))...)
	return b
}

var (
	storeUser = userInfo{implUID: uidImplClass, implName: "LABWATCH_TEST", maxPDU: 16384}
	scpUser   = userInfo{implUID: "1.2.826.0.1.3680043.9.7433.9", implName: "PACS_SCP_3", maxPDU: 16384}
)

// splitPDUs cuts a data set into P-DATA-TF PDUs of at most max fragment bytes.
func splitPDUs(ctx byte, ds []byte, max int) [][]byte {
	var out [][]byte
	for len(ds) > 0 {
		n := min(max, len(ds))
		flags := byte(0)
		if n == len(ds) {
			flags = pdvLast
		}
		out = append(out, pdata(pdv{ctx, flags, ds[:n]}))
		ds = ds[n:]
	}
	return out
}

func convStore() conversation {
	c := conversation{name: "cstore_explicit", note: "C-ECHO then C-STORE of a CT image (explicit VR LE, 3 data PDUs), release"}
	add := func(d app.Direction, b []byte) { c.chunks = append(c.chunks, chunk{d, b}) }
	add(c2s, associateRQ("MODALITY_CT1", "PACS_MAIN", []pcDef{
		{1, uidVerification, []string{uidImplicitLE}},
		{3, uidCTStorage, []string{uidExplicitLE, uidImplicitLE}},
		{5, uidCTStorage, []string{uidJPEGBaseline}},
	}, storeUser))
	add(s2c, associateAC("MODALITY_CT1", "PACS_MAIN", []pcResult{{1, 0, uidImplicitLE}, {3, 0, uidExplicitLE}, {5, 3, uidJPEGBaseline}}, scpUser))
	add(c2s, pdata(pdv{1, pdvCommand | pdvLast, commandSet(0x0030, 1, uidVerification, -1, false)}))
	add(s2c, pdata(pdv{1, pdvCommand | pdvLast, commandSet(0x8030, 1, uidVerification, 0, false)}))
	add(c2s, pdata(pdv{3, pdvCommand | pdvLast, commandSet(0x0001, 2, uidCTStorage, -1, true)}))
	for _, p := range splitPDUs(3, storeDataset(), 1000) {
		add(c2s, p)
	}
	add(s2c, pdata(pdv{3, pdvCommand | pdvLast, commandSet(0x8001, 2, uidCTStorage, 0, false)}))
	add(c2s, shortPDU(pduReleaseRQ, 0, 0, 0, 0))
	add(s2c, shortPDU(pduReleaseRP, 0, 0, 0, 0))
	return c
}

func convFind() conversation {
	c := conversation{name: "cfind_implicit", note: "C-FIND patient root query (implicit VR LE), two pending matches in one PDU with its command, final success, release"}
	add := func(d app.Direction, b []byte) { c.chunks = append(c.chunks, chunk{d, b}) }
	add(c2s, associateRQ("RIS_WORKLIST", "PACS_QR", []pcDef{{1, uidFindPatient, []string{uidImplicitLE}}}, storeUser))
	add(s2c, associateAC("RIS_WORKLIST", "PACS_QR", []pcResult{{1, 0, uidImplicitLE}}, scpUser))
	add(c2s, pdata(
		pdv{1, pdvCommand | pdvLast, commandSet(0x0020, 7, uidFindPatient, -1, true)},
		pdv{1, pdvLast, findIdentifier()}))
	add(s2c, pdata(
		pdv{1, pdvCommand | pdvLast, commandSet(0x8020, 7, uidFindPatient, 0xFF00, true)},
		pdv{1, pdvLast, findMatch(planted[0], planted[1])}))
	add(s2c, pdata(
		pdv{1, pdvCommand | pdvLast, commandSet(0x8020, 7, uidFindPatient, 0xFF00, true)},
		pdv{1, pdvLast, findMatch("Fictional^John", "PLANTMRN0043")}))
	add(s2c, pdata(pdv{1, pdvCommand | pdvLast, commandSet(0x8020, 7, uidFindPatient, 0x0000, false)}))
	add(c2s, shortPDU(pduReleaseRQ, 0, 0, 0, 0))
	add(s2c, shortPDU(pduReleaseRP, 0, 0, 0, 0))
	return c
}

func convReject() conversation {
	c := conversation{name: "reject_credentials", note: "A-ASSOCIATE-RQ with user identity (user name and passcode), rejected permanently: called AE not recognised"}
	u := storeUser
	u.identityType, u.user, u.pass = 2, "tech.jones", "S3cret!pass"
	c.chunks = []chunk{
		{c2s, associateRQ("ULTRASOUND_7", "WRONG_AE", []pcDef{{1, uidVerification, []string{uidImplicitLE}}}, u)},
		{s2c, shortPDU(pduAssociateRJ, 0, 1, 1, 7)},
	}
	return c
}

func convAbort() conversation {
	c := conversation{name: "abort_jpeg", note: "C-STORE of a JPEG image with encapsulated pixel data, then A-ABORT from the provider"}
	add := func(d app.Direction, b []byte) { c.chunks = append(c.chunks, chunk{d, b}) }
	add(c2s, associateRQ("MODALITY_CT1", "PACS_MAIN", []pcDef{{5, uidCTStorage, []string{uidJPEGBaseline}}}, storeUser))
	add(s2c, associateAC("MODALITY_CT1", "PACS_MAIN", []pcResult{{5, 0, uidJPEGBaseline}}, scpUser))
	add(c2s, pdata(pdv{5, pdvCommand | pdvLast, commandSet(0x0001, 9, uidCTStorage, -1, true)},
		pdv{5, pdvLast, encapsulatedDataset()}))
	add(s2c, shortPDU(pduAbort, 0, 0, 2, 6))
	return c
}

// convBigEndian uses the retired explicit VR big endian syntax.
func convBigEndian() conversation {
	c := conversation{name: "cstore_bigendian", note: "C-STORE in explicit VR big endian (retired syntax)"}
	var ds []byte
	ds = append(ds, elemExplicitBE(0x0008, 0x0016, "UI", uidValue(uidCTStorage))...)
	ds = append(ds, elemExplicitBE(0x0010, 0x0010, "PN", padded(planted[0]))...)
	ds = append(ds, elemExplicitBE(0x0010, 0x0030, "DA", padded(planted[2]))...)
	c.chunks = []chunk{
		{c2s, associateRQ("OLD_MR", "PACS_MAIN", []pcDef{{1, uidCTStorage, []string{uidExplicitBE}}}, storeUser)},
		{s2c, associateAC("OLD_MR", "PACS_MAIN", []pcResult{{1, 0, uidExplicitBE}}, scpUser)},
		{c2s, pdata(pdv{1, pdvCommand | pdvLast, commandSet(0x0001, 1, uidCTStorage, -1, true)}, pdv{1, pdvLast, ds})},
		{s2c, pdata(pdv{1, pdvCommand | pdvLast, commandSet(0x8001, 1, uidCTStorage, 0xA700, false)})},
		{c2s, shortPDU(pduReleaseRQ, 0, 0, 0, 0)},
		{s2c, shortPDU(pduReleaseRP, 0, 0, 0, 0)},
	}
	return c
}

// convMidstream starts inside a C-STORE: the tail of one PDU, then whole ones,
// with no association seen (syntax guessed).
func convMidstream() conversation {
	c := conversation{name: "midstream", note: "capture starts inside a P-DATA-TF: resync, then explicit VR data set guessed without an association"}
	full := pdata(pdv{3, 0, bytes.Repeat([]byte{0x10, 0x00, 0x10, 0x00}, 100)})
	c.chunks = append(c.chunks, chunk{c2s, full[137:]})
	c.chunks = append(c.chunks, chunk{c2s, pdata(pdv{3, pdvCommand | pdvLast, commandSet(0x0001, 4, uidCTStorage, -1, true)})})
	for _, p := range splitPDUs(3, storeDataset(), 1500) {
		c.chunks = append(c.chunks, chunk{c2s, p})
	}
	c.chunks = append(c.chunks, chunk{s2c, pdata(pdv{3, pdvCommand | pdvLast, commandSet(0x8001, 4, uidCTStorage, 0, false)})})
	return c
}

// convHostile is a crafted stream: a PDU declaring 4 GiB, a PDV overrunning
// its PDU, a command set of the wrong group, then garbage.
func convHostile() conversation {
	c := conversation{name: "hostile", note: "4 GiB PDU length, PDV overrun, bad command group, bad VR, garbage: anomalies, then gave_up"}
	huge := []byte{pduDataTF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 10, 1, 3}
	overrun := pdu(pduDataTF, []byte{0, 0, 0x10, 0, 1, 3, 1, 2})
	badCmd := pdata(pdv{1, pdvCommand | pdvLast, elemImplicit(0x0010, 0x0010, padded(planted[0]))})
	badVR := pdata(pdv{1, pdvLast, append(elemExplicit(0x0010, 0x0010, "PN", padded(planted[0])), 0x10, 0, 0x20, 0, 'z', 'z', 2, 0, 'A', 'B')})
	garbage := bytes.Repeat([]byte("\x04\x00\x00\x00\x00\x08\x00\x00\x00\x01\x02\x07"), 4)
	longRelease := pdu(pduReleaseRQ, make([]byte, 10))
	for _, b := range [][]byte{huge, overrun, badCmd, badVR, garbage, longRelease, longRelease, longRelease, longRelease} {
		c.chunks = append(c.chunks, chunk{c2s, b})
	}
	return c
}

func conversations() []conversation {
	return []conversation{convStore(), convFind(), convReject(), convAbort(), convBigEndian(), convMidstream(), convHostile()}
}
