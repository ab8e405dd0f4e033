package defrag

import (
	"bytes"
	"slices"
	"time"
)

// key identifies the datagram a fragment belongs to (RFC 791): comparable
// arrays, so map lookups allocate nothing.
type key struct {
	src, dst [4]byte
	id       uint16
	proto    uint8
}

// span is a byte range [off, end) of a datagram's payload.
type span struct{ off, end int }

// piece is a held range of the payload, stored at data[at : at+end-off].
type piece struct {
	span
	at int
}

// datagram is one datagram being reassembled. Fragment bytes are appended to
// data in arrival order, so held memory follows the bytes received, not the
// offsets claimed: a tiny fragment at offset 65000 costs a few bytes, not 64 KiB.
// Pieces never overlap: bytes already held win over later copies, as in most
// operating systems.
type datagram struct {
	key     key
	first   time.Time // capture time of the first fragment
	pieces  []piece   // sorted by offset
	data    []byte
	covered int  // payload bytes held
	total   int  // payload length, known from the last fragment; -1 before
	frags   int  // fragments received, repeats included
	dead    bool // dropped and counted; swallows its late fragments until Timeout

	older, newer *datagram // age list
}

func (dg *datagram) reset(k key, first time.Time) {
	dg.key, dg.first = k, first
	dg.pieces, dg.data = dg.pieces[:0], dg.data[:0]
	dg.covered, dg.total, dg.frags, dg.dead = 0, -1, 0, false
	dg.older, dg.newer = nil, nil
}

// highest returns the end of the highest byte held.
func (dg *datagram) highest() int {
	if len(dg.pieces) == 0 {
		return 0
	}
	return dg.pieces[len(dg.pieces)-1].end
}

// overlap describes how a fragment meets the bytes already held.
type overlap uint8

const (
	overlapNone      overlap = iota
	overlapSame              // it repeats held bytes identically
	overlapDifferent         // it contradicts held bytes
)

// gaps appends to buf the parts of payload (at offset off) not held yet, and
// reports how the rest compares with what is held.
func (dg *datagram) gaps(payload []byte, off int, buf []span) ([]span, overlap) {
	end, pos, how := off+len(payload), off, overlapNone
	for _, p := range dg.pieces {
		if p.end <= pos {
			continue
		}
		if p.off >= end {
			break
		}
		if p.off > pos {
			buf = append(buf, span{pos, p.off})
		}
		lo, hi := max(p.off, off), min(p.end, end)
		if bytes.Equal(dg.data[p.at+lo-p.off:p.at+hi-p.off], payload[lo-off:hi-off]) {
			how = max(how, overlapSame)
		} else {
			how = overlapDifferent
		}
		pos = p.end
		if pos >= end {
			break
		}
	}
	if pos < end {
		buf = append(buf, span{pos, end})
	}
	return buf, how
}

// store copies the given gaps of payload (at offset off) into the datagram.
// The caller has made room: cap(data) holds them all.
func (dg *datagram) store(payload []byte, off int, gaps []span) {
	for _, g := range gaps {
		at := len(dg.data)
		dg.data = append(dg.data, payload[g.off-off:g.end-off]...)
		i, _ := slices.BinarySearchFunc(dg.pieces, g.off, func(p piece, off int) int { return p.off - off })
		dg.pieces = slices.Insert(dg.pieces, i, piece{g, at})
		dg.covered += g.end - g.off
	}
}

// complete reports whether every byte up to the last fragment's end is held.
func (dg *datagram) complete() bool {
	return dg.total >= 0 && dg.covered == dg.total
}

// assemble writes the payload into out, which holds at least total bytes.
func (dg *datagram) assemble(out []byte) []byte {
	out = out[:dg.total]
	for _, p := range dg.pieces {
		copy(out[p.off:p.end], dg.data[p.at:p.at+p.end-p.off])
	}
	return out
}
