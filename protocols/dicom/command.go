package dicom

import (
	"encoding/binary"
	"fmt"
)

// Command set elements read (PS3.7 section 9.3, group 0000, implicit VR
// little endian whatever the transfer syntax).
const (
	tagAffectedSOPClass  = 0x0002
	tagRequestedSOPClass = 0x0003
	tagCommandField      = 0x0100
	tagMessageID         = 0x0110
	tagRespondedID       = 0x0120
	tagDataSetType       = 0x0800
	tagStatus            = 0x0900
	noDataSet            = 0x0101 // (0000,0800) value meaning "no data set follows"
)

// commandNames maps the command field to its name (PS3.7 annex E).
var commandNames = map[uint16]string{
	0x0001: "C-STORE-RQ", 0x8001: "C-STORE-RSP",
	0x0010: "C-GET-RQ", 0x8010: "C-GET-RSP",
	0x0020: "C-FIND-RQ", 0x8020: "C-FIND-RSP",
	0x0021: "C-MOVE-RQ", 0x8021: "C-MOVE-RSP",
	0x0030: "C-ECHO-RQ", 0x8030: "C-ECHO-RSP",
	0x0100: "N-EVENT-REPORT-RQ", 0x8100: "N-EVENT-REPORT-RSP",
	0x0110: "N-GET-RQ", 0x8110: "N-GET-RSP",
	0x0120: "N-SET-RQ", 0x8120: "N-SET-RSP",
	0x0130: "N-ACTION-RQ", 0x8130: "N-ACTION-RSP",
	0x0140: "N-CREATE-RQ", 0x8140: "N-CREATE-RSP",
	0x0150: "N-DELETE-RQ", 0x8150: "N-DELETE-RSP",
	0x0FFF: "C-CANCEL-RQ",
}

// command is what one command set says. sopClass aliases the buffer it was
// parsed from; the analyzer interns or copies it.
type command struct {
	field      uint16
	hasField   bool
	messageID  uint16
	hasID      bool
	responded  uint16
	status     uint16
	hasStatus  bool
	hasDataSet bool
	sopClass   []byte
}

func (c *command) name() string {
	if n, ok := commandNames[c.field]; ok {
		return n
	}
	return "unknown"
}

// isResponse tells a -RSP command (bit 15 of the command field).
func (c *command) isResponse() bool { return c.field&0x8000 != 0 }

// parseCommand reads a whole command set. Every element must be in group 0000
// and lie inside b; values other than those listed above are skipped.
func parseCommand(b []byte) (command, error) {
	var c command
	for off := 0; off < len(b); {
		if len(b)-off < 8 {
			return c, fmt.Errorf("dicom: %d stray bytes at the end of a command set", len(b)-off)
		}
		group := binary.LittleEndian.Uint16(b[off:])
		elem := binary.LittleEndian.Uint16(b[off+2:])
		n := binary.LittleEndian.Uint32(b[off+4:])
		if group != 0 {
			return c, fmt.Errorf("dicom: element (%04X,%04X) in a command set", group, elem)
		}
		if uint64(n) > uint64(len(b)-off-8) {
			return c, fmt.Errorf("dicom: command element (0000,%04X) length %d overruns the set", elem, n)
		}
		v := b[off+8 : off+8+int(n)]
		off += 8 + int(n)
		switch elem {
		case tagAffectedSOPClass, tagRequestedSOPClass:
			c.sopClass = trimUID(v)
		case tagCommandField:
			c.field, c.hasField = us(v)
		case tagMessageID:
			c.messageID, c.hasID = us(v)
		case tagRespondedID:
			c.responded, _ = us(v)
			c.hasID = true
		case tagStatus:
			c.status, c.hasStatus = us(v)
		case tagDataSetType:
			t, ok := us(v)
			c.hasDataSet = ok && t != noDataSet
		}
	}
	if !c.hasField {
		return c, fmt.Errorf("dicom: command set without a command field")
	}
	return c, nil
}

// us reads an unsigned short value.
func us(v []byte) (uint16, bool) {
	if len(v) != 2 {
		return 0, false
	}
	return binary.LittleEndian.Uint16(v), true
}

// trimUID drops the NUL or space padding of a UID value.
func trimUID(v []byte) []byte {
	for len(v) > 0 && (v[len(v)-1] == 0 || v[len(v)-1] == ' ') {
		v = v[:len(v)-1]
	}
	return v
}

// statusClass names the class of a response status (PS3.7 annex C).
func statusClass(s uint16) string {
	switch {
	case s == 0x0000:
		return "success"
	case s == 0xFF00 || s == 0xFF01:
		return "pending"
	case s == 0xFE00:
		return "cancel"
	case s == 0x0001 || s == 0x0107 || s == 0x0116 || s&0xF000 == 0xB000:
		return "warning"
	}
	return "failure"
}
