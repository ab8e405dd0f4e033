package defrag

import "sync/atomic"

// Stats are the defragmenter's counters and gauges. Every dropped datagram is
// counted under exactly one reason: TimedOut, EvictedAtCap, TooManyFragments,
// Oversize, Truncated or Invalid.
type Stats struct {
	Fragments        uint64 // fragments given to Add
	Reassembled      uint64 // datagrams completed
	TimedOut         uint64 // incomplete datagrams dropped after Timeout
	EvictedAtCap     uint64 // dropped at MaxDatagrams or MaxBytes
	Overlaps         uint64 // fragments whose bytes contradict bytes already held (first wins)
	Duplicates       uint64 // fragments that repeat bytes already held, identically
	TooManyFragments uint64 // datagrams dropped past MaxFragmentsPerDatagram
	Oversize         uint64 // datagrams dropped for reaching past 65535 bytes
	Truncated        uint64 // datagrams dropped because a fragment was cut by the snap length
	Invalid          uint64 // datagrams dropped as inconsistent: ends disagree, bad lengths, not IPv4

	HeldDatagrams uint64 // incomplete datagrams held now
	HeldBytes     uint64 // buffer bytes held now (≤ MaxBytes)
}

// counters is Stats in atomics, so metrics can read them from another goroutine
// while one goroutine calls Add and Expire.
type counters struct {
	fragments, reassembled, timedOut, evictedAtCap   atomic.Uint64
	overlaps, duplicates, tooManyFragments, oversize atomic.Uint64
	truncated, invalid, heldDatagrams, heldBytes     atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Fragments:        c.fragments.Load(),
		Reassembled:      c.reassembled.Load(),
		TimedOut:         c.timedOut.Load(),
		EvictedAtCap:     c.evictedAtCap.Load(),
		Overlaps:         c.overlaps.Load(),
		Duplicates:       c.duplicates.Load(),
		TooManyFragments: c.tooManyFragments.Load(),
		Oversize:         c.oversize.Load(),
		Truncated:        c.truncated.Load(),
		Invalid:          c.invalid.Load(),
		HeldDatagrams:    c.heldDatagrams.Load(),
		HeldBytes:        c.heldBytes.Load(),
	}
}

// Add sums o into t (the defragmenters of several workers).
func (t *Stats) Add(o Stats) {
	t.Fragments += o.Fragments
	t.Reassembled += o.Reassembled
	t.TimedOut += o.TimedOut
	t.EvictedAtCap += o.EvictedAtCap
	t.Overlaps += o.Overlaps
	t.Duplicates += o.Duplicates
	t.TooManyFragments += o.TooManyFragments
	t.Oversize += o.Oversize
	t.Truncated += o.Truncated
	t.Invalid += o.Invalid
	t.HeldDatagrams += o.HeldDatagrams
	t.HeldBytes += o.HeldBytes
}
