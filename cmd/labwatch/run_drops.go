package main

import "sync"

// dropTally adds up the kernel drop counters of every capture a run opened: the
// metrics read it from their own goroutine while the run loop replaces a failed
// capture with a reopened one.
type dropTally struct {
	mu            sync.Mutex
	cur           liveCapture // nil while reopening
	kernel, iface uint64      // of the captures retired so far
}

// use makes c the current capture.
func (d *dropTally) use(c liveCapture) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cur = c
}

// retire closes the current capture and keeps its counters.
func (d *dropTally) retire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cur == nil {
		return
	}
	d.cur.Close()
	k, i := d.cur.Drops()
	d.kernel, d.iface = d.kernel+k, d.iface+i
	d.cur = nil
}

// total is what every capture of the run dropped.
func (d *dropTally) total() (kernel, iface uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	kernel, iface = d.kernel, d.iface
	if d.cur != nil {
		k, i := d.cur.Drops()
		kernel, iface = kernel+k, iface+i
	}
	return kernel, iface
}

// close closes the current capture; its counters keep their last values.
func (d *dropTally) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cur != nil {
		d.cur.Close()
	}
}
