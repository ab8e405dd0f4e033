package pcapfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// pcapng block types this package hands to pcapgo; every other block (name
// resolution, statistics, decryption secrets, custom) is checked and skipped
// here, so pcapgo never accumulates them.
const (
	blockSection   = 0x0A0D0D0A
	blockInterface = 0x00000001
	blockPacket    = 0x00000002 // obsolete, still written by old tools
	blockSimple    = 0x00000003
	blockEnhanced  = 0x00000006

	ngByteOrderMagic = 0x1A2B3C4D
)

// sectionMagic is the section header type; it reads the same in both byte orders.
var sectionMagic = []byte{0x0A, 0x0D, 0x0D, 0x0A}

// ngRules frames a pcapng stream for the framer.
type ngRules struct {
	order      binary.ByteOrder // of the current section; nil before the first
	snaplen    uint32           // first interface's snap length: sizes simple packets
	interfaces int              // interface blocks in the current section
	walk       bool             // the current block's tail holds options to check
}

func (r *ngRules) unit() string { return "block" }

func (r *ngRules) next(f *framer) error {
	for {
		f.mark()
		h, err := f.peek(8)
		if err != nil {
			return err
		}
		var kind uint32
		if bytes.Equal(h[0:4], sectionMagic) {
			if err := r.startSection(f); err != nil {
				return err
			}
			kind = blockSection
		} else if r.order == nil {
			return f.stop(CodeBadHeader, "file does not start with a section header block")
		} else {
			kind = r.order.Uint32(h[0:4])
		}
		size := r.order.Uint32(h[4:8])
		if err := r.checkSize(f, kind, size); err != nil {
			return err
		}
		switch kind {
		case blockSection, blockInterface, blockPacket, blockSimple, blockEnhanced:
			return r.start(f, kind, int(size))
		}
		if err := r.skip(f, int(size)); err != nil {
			return err
		}
	}
}

// startSection reads the byte order of a new section and forgets the last
// section's interfaces, as pcapgo does.
func (r *ngRules) startSection(f *framer) error {
	h, err := f.peek(12)
	if err != nil {
		return err
	}
	switch binary.BigEndian.Uint32(h[8:12]) {
	case ngByteOrderMagic:
		r.order = binary.BigEndian
	case 0x4D3C2B1A:
		r.order = binary.LittleEndian
	default:
		return f.stop(CodeBadHeader, "section header has a bad byte-order magic 0x%08x", binary.BigEndian.Uint32(h[8:12]))
	}
	r.snaplen, r.interfaces = 0, 0
	return nil
}

func (r *ngRules) checkSize(f *framer, kind, size uint32) error {
	if size%4 != 0 {
		return f.stop(CodeBadLength, "%s block length %d is not a multiple of 4", blockName(kind), size)
	}
	if size < minBlockLen(kind) {
		return f.stop(CodeBadLength, "%s block length %d is below its minimum of %d", blockName(kind), size, minBlockLen(kind))
	}
	if size > MaxBlockBytes {
		return f.stop(CodeOverLimit, "%s block length %d exceeds the %d-byte limit", blockName(kind), size, MaxBlockBytes)
	}
	return nil
}

// start begins a block pcapgo will decode, with a checkpoint where its options
// (or just its trailing length) begin.
func (r *ngRules) start(f *framer, kind uint32, size int) error {
	r.walk = kind != blockPacket && kind != blockSimple
	switch kind {
	case blockSection:
		f.begin(size, 24) // type, length, byte order, version, section length
	case blockInterface:
		h, err := f.peek(16)
		if err != nil {
			return err
		}
		r.interfaces++
		if r.interfaces > MaxInterfaces {
			return f.stop(CodeOverLimit, "more than %d interface blocks in one section", MaxInterfaces)
		}
		if r.interfaces == 1 {
			r.snaplen = r.order.Uint32(h[12:16])
		}
		f.begin(size, 16) // type, length, link type, reserved, snap length
	case blockEnhanced, blockPacket:
		h, err := f.peek(28)
		if err != nil {
			return err
		}
		end, err := r.packetEnd(f, kind, r.order.Uint32(h[20:24]), 28, size)
		if err != nil {
			return err
		}
		f.begin(size, end)
	case blockSimple:
		h, err := f.peek(12)
		if err != nil {
			return err
		}
		// pcapgo stores min(original length, first interface's snap length).
		captured := r.order.Uint32(h[8:12])
		if r.snaplen != 0 && captured > r.snaplen {
			captured = r.snaplen
		}
		end, err := r.packetEnd(f, kind, captured, 12, size)
		if err != nil {
			return err
		}
		f.begin(size, end)
	}
	return nil
}

// packetEnd checks that a packet of captured bytes after a header of hdr bytes
// fits its block and returns where the packet's padding ends.
func (r *ngRules) packetEnd(f *framer, kind, captured uint32, hdr, size int) (int, error) {
	if captured > MaxPacketBytes {
		return 0, f.stop(CodeOverLimit, "captured length %d exceeds the %d-byte limit", captured, MaxPacketBytes)
	}
	end := hdr + pad4(int(captured))
	if end > size-4 {
		return 0, f.stop(CodeBadLength, "captured length %d does not fit in a %d-byte %s block", captured, size, blockName(kind))
	}
	return end, nil
}

// checkTail checks, in place, the options and trailing length of the block
// before pcapgo reads them: an option overrunning its block would make pcapgo
// read into the next one.
func (r *ngRules) checkTail(f *framer) error {
	n := f.size - f.pos
	if n > MaxOptionBytes+4 {
		return f.stop(CodeOverLimit, "%d bytes of block options exceed the %d-byte limit", n-4, MaxOptionBytes)
	}
	tail, err := f.peek(n)
	if err != nil {
		return err
	}
	if err := r.checkTrailer(f, tail[n-4:]); err != nil {
		return err
	}
	if r.walk {
		return r.checkOptions(f, tail[:n-4])
	}
	return nil
}

func (r *ngRules) checkOptions(f *framer, opts []byte) error {
	for len(opts) >= 4 {
		code, n := r.order.Uint16(opts[0:2]), int(r.order.Uint16(opts[2:4]))
		if code == 0 { // end of options; pcapgo ignores what follows
			return nil
		}
		need := 4 + pad4(n)
		if need > len(opts) {
			return f.stop(CodeBadLength, "option %d of %d bytes overruns its block", code, n)
		}
		opts = opts[need:]
	}
	return nil
}

// checkTrailer compares the block's trailing length with its leading one.
func (r *ngRules) checkTrailer(f *framer, trailer []byte) error {
	if end := r.order.Uint32(trailer); end != uint32(f.size) {
		return f.stop(CodeBadLength, "block length %d at the end does not match %d at the start", end, f.size)
	}
	return nil
}

// skip consumes a block pcapgo does not need, checking its trailing length.
func (r *ngRules) skip(f *framer, size int) error {
	f.begin(size, -1)
	if err := f.discard(size - 4); err != nil {
		return err
	}
	trailer, err := f.peek(4)
	if err != nil {
		return err
	}
	if err := r.checkTrailer(f, trailer); err != nil {
		return err
	}
	return f.discard(4)
}

// minBlockLen is the fixed part of each block type plus the trailing length.
func minBlockLen(kind uint32) uint32 {
	switch kind {
	case blockSection:
		return 28
	case blockInterface:
		return 20
	case blockEnhanced, blockPacket:
		return 32
	case blockSimple:
		return 16
	}
	return 12
}

func blockName(kind uint32) string {
	switch kind {
	case blockSection:
		return "section header"
	case blockInterface:
		return "interface description"
	case blockEnhanced:
		return "enhanced packet"
	case blockPacket:
		return "packet"
	case blockSimple:
		return "simple packet"
	}
	return fmt.Sprintf("type 0x%08x", kind)
}

// pad4 rounds n up to a multiple of 4, as pcapng pads packet data and options.
func pad4(n int) int { return (n + 3) &^ 3 }
