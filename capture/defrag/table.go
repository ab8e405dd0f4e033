package defrag

import (
	"sync/atomic"
	"time"
)

// Life cycle of datagrams and their memory: creation, the age list, the caps,
// and reuse of finished datagrams.

// create starts a datagram, evicting the oldest at MaxDatagrams.
func (d *Defragmenter) create(k key, first time.Time) *datagram {
	if len(d.table) >= d.cfg.MaxDatagrams {
		d.evict(d.oldest, false) // its buffer serves the new datagram
	}
	var dg *datagram
	if n := len(d.spare); n > 0 {
		dg, d.spare = d.spare[n-1], d.spare[:n-1]
	} else {
		dg = new(datagram)
	}
	dg.reset(k, first)
	d.table[k] = dg
	if d.newest == nil {
		d.oldest = dg
	} else {
		d.newest.newer, dg.older = dg, d.newest
	}
	d.newest = dg
	return dg
}

// release forgets a datagram and keeps it for reuse if there is room.
func (d *Defragmenter) release(dg *datagram) {
	delete(d.table, dg.key)
	if dg.older == nil {
		d.oldest = dg.newer
	} else {
		dg.older.newer = dg.newer
	}
	if dg.newer == nil {
		d.newest = dg.older
	} else {
		dg.newer.older = dg.older
	}
	dg.older, dg.newer = nil, nil
	if len(d.spare) >= spareDatagrams {
		d.dropBuffer(dg)
		return
	}
	if cap(dg.data) > spareBufferBytes {
		d.dropBuffer(dg)
	}
	d.spare = append(d.spare, dg)
}

// expire drops a datagram past its Timeout.
func (d *Defragmenter) expire(dg *datagram) {
	if !dg.dead {
		d.stats.timedOut.Add(1)
	}
	d.release(dg)
}

// evict drops a datagram to make room; freeBuffer frees its bytes at once
// rather than keeping them for reuse.
func (d *Defragmenter) evict(dg *datagram, freeBuffer bool) {
	if !dg.dead {
		d.stats.evictedAtCap.Add(1)
	}
	if freeBuffer {
		d.dropBuffer(dg)
	}
	d.release(dg)
}

// kill drops a datagram's bytes and counts why. It stays in the table, dead,
// until Timeout, so its remaining fragments are not counted again.
func (d *Defragmenter) kill(dg *datagram, reason *atomic.Uint64) {
	reason.Add(1)
	dg.dead = true
	dg.pieces = dg.pieces[:0]
	d.dropBuffer(dg)
}

func (d *Defragmenter) dropBuffer(dg *datagram) {
	d.held -= cap(dg.data)
	dg.data = nil
}

// makeRoom grows dg's buffer for the gaps about to be stored, within MaxBytes:
// spare buffers go first, then the oldest other datagrams. It reports false if
// dg alone would exceed the cap.
func (d *Defragmenter) makeRoom(dg *datagram, gaps []span) bool {
	need := len(dg.data)
	for _, g := range gaps {
		need += g.end - g.off
	}
	if need <= cap(dg.data) {
		return true
	}
	// Doubling keeps copies rare; held fragments never exceed 65535 bytes.
	size := min(max(need, 2*cap(dg.data), minBufferBytes), maxIPv4Length)
	if !d.reserve(size-cap(dg.data), dg) {
		size = need
		if !d.reserve(size-cap(dg.data), dg) {
			return false
		}
	}
	buf := make([]byte, len(dg.data), size)
	copy(buf, dg.data)
	d.held += size - cap(dg.data)
	dg.data = buf
	return true
}

// reserve frees memory until n more bytes fit under MaxBytes, sparing keep.
func (d *Defragmenter) reserve(n int, keep *datagram) bool {
	for d.held+n > d.cfg.MaxBytes {
		if last := len(d.spare) - 1; last >= 0 {
			d.dropBuffer(d.spare[last])
			d.spare = d.spare[:last]
			continue
		}
		victim := d.oldest
		if victim == keep {
			victim = keep.newer
		}
		if victim == nil {
			return false
		}
		d.evict(victim, true)
	}
	return true
}
