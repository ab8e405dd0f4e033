package dicom

import (
	"encoding/binary"
	"fmt"
)

const undefinedLength = 0xFFFFFFFF

// vrs lists the value representations of PS3.5 table 6.2-1; long marks those
// whose explicit header has two reserved bytes and a 32-bit length.
var vrs = map[[2]byte]bool{
	{'A', 'E'}: false, {'A', 'S'}: false, {'A', 'T'}: false, {'C', 'S'}: false,
	{'D', 'A'}: false, {'D', 'S'}: false, {'D', 'T'}: false, {'F', 'L'}: false,
	{'F', 'D'}: false, {'I', 'S'}: false, {'L', 'O'}: false, {'L', 'T'}: false,
	{'P', 'N'}: false, {'S', 'H'}: false, {'S', 'L'}: false, {'S', 'S'}: false,
	{'S', 'T'}: false, {'T', 'M'}: false, {'U', 'I'}: false, {'U', 'L'}: false,
	{'U', 'S'}: false,
	{'O', 'B'}: true, {'O', 'D'}: true, {'O', 'F'}: true, {'O', 'L'}: true,
	{'O', 'V'}: true, {'O', 'W'}: true, {'S', 'Q'}: true, {'S', 'V'}: true,
	{'U', 'C'}: true, {'U', 'N'}: true, {'U', 'R'}: true, {'U', 'T'}: true,
	{'U', 'V'}: true,
}

// dsScanner walks the element headers of one data set as its fragments
// arrive, to learn which tags carry a value. Values are skipped by count,
// never copied or read: only the 8- or 12-byte header of the element being
// read is held between fragments. Sequences are entered (their items hold
// elements too); encapsulated pixel data items are skipped.
type dsScanner struct {
	active bool   // inside a data set (between its first and last fragment)
	syn    syntax // encoding of the data set, resolved at its first header
	dead   bool   // an unreadable header: the rest of the data set is skipped
	encap  bool   // inside an undefined-length OB/OW/UN value (items are fragments)
	hdr    [12]byte
	hn     int
	skip   uint32 // value bytes of the current element still to skip
}

// begin starts a data set encoded in s (synUnknown: guessed from the first
// element header).
func (d *dsScanner) begin(s syntax) {
	*d = dsScanner{active: true, syn: s, dead: s == synDeflated}
}

// finish ends the data set; it tells whether it ended on an element boundary.
func (d *dsScanner) finish() bool {
	whole := d.dead || (d.hn == 0 && d.skip == 0)
	*d = dsScanner{}
	return whole
}

// feed scans the next fragment bytes. It returns a detail naming the tag when
// an element header cannot be read; the data set is then skipped.
func (d *dsScanner) feed(b []byte, found *phiFound) string {
	for len(b) > 0 && !d.dead {
		if d.skip > 0 {
			n := min(uint64(d.skip), uint64(len(b)))
			d.skip -= uint32(n)
			b = b[n:]
			continue
		}
		need := d.headerLen()
		for d.hn < need && len(b) > 0 {
			k := copy(d.hdr[d.hn:need], b)
			d.hn += k
			b = b[k:]
			need = d.headerLen()
		}
		if d.hn < need {
			return ""
		}
		d.hn = 0
		if detail := d.element(found); detail != "" {
			d.dead = true
			return detail
		}
	}
	return ""
}

// headerLen is the length of the header being read, as far as the bytes
// already held tell it.
func (d *dsScanner) headerLen() int {
	if d.syn == synImplicitLE {
		return 8
	}
	if d.hn < 4 {
		return 6
	}
	if d.group() == 0xFFFE {
		return 8
	}
	if d.hn < 6 {
		return 6
	}
	if d.syn == synUnknown {
		d.syn = synImplicitLE
		if _, ok := vrs[[2]byte{d.hdr[4], d.hdr[5]}]; ok {
			d.syn = synExplicitLE
		}
		if d.syn == synImplicitLE {
			return 8
		}
	}
	if vrs[[2]byte{d.hdr[4], d.hdr[5]}] {
		return 12
	}
	return 8
}

func (d *dsScanner) u16(off int) uint16 {
	if d.syn == synExplicitBE {
		return binary.BigEndian.Uint16(d.hdr[off:])
	}
	return binary.LittleEndian.Uint16(d.hdr[off:])
}

func (d *dsScanner) u32(off int) uint32 {
	if d.syn == synExplicitBE {
		return binary.BigEndian.Uint32(d.hdr[off:])
	}
	return binary.LittleEndian.Uint32(d.hdr[off:])
}

func (d *dsScanner) group() uint16 { return d.u16(0) }

// element handles one complete header.
func (d *dsScanner) element(found *phiFound) string {
	group, elem := d.u16(0), d.u16(2)
	if group == 0xFFFE {
		n := d.u32(4)
		switch elem {
		case 0xE000: // item: fragments are skipped, sequence items entered
			if d.encap && n != undefinedLength {
				d.skip = n
			}
		case 0xE0DD: // sequence delimiter
			d.encap = false
		case 0xE00D: // item delimiter
		default:
			return fmt.Sprintf("unknown delimiter (FFFE,%04X)", elem)
		}
		return ""
	}
	tag := uint32(group)<<16 | uint32(elem)
	var n uint32
	var vr [2]byte
	explicit := d.syn != synImplicitLE
	if explicit {
		vr = [2]byte{d.hdr[4], d.hdr[5]}
		long, ok := vrs[vr]
		if !ok {
			return fmt.Sprintf("element (%04X,%04X) has no valid VR", group, elem)
		}
		n = uint32(d.u16(6))
		if long {
			n = d.u32(8)
		}
	} else {
		n = d.u32(4)
	}
	found.note(tag, n)
	sequence := vr == [2]byte{'S', 'Q'}
	switch {
	case n != undefinedLength && !sequence:
		d.skip = n
	case n != undefinedLength, sequence: // a sequence: its items are entered
	case explicit && (vr == [2]byte{'O', 'B'} || vr == [2]byte{'O', 'W'} || vr == [2]byte{'U', 'N'}):
		d.encap = true
	case explicit:
		return fmt.Sprintf("element (%04X,%04X) of VR %c%c has an undefined length", group, elem, vr[0], vr[1])
	case tag == 0x7FE00010: // implicit pixel data of undefined length is encapsulated
		d.encap = true
	}
	return ""
}
