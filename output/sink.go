package output

import (
	"errors"
	"sync/atomic"

	"labwatch/detect"
)

// Sink receives alerts. Write never blocks the caller on the network or a slow
// receiver: it hands the alert over (to a file buffer or the disk queue) or
// drops it, counted.
type Sink interface {
	Write(a *detect.Alert)
	Close() error
}

// OutputStats are one output's delivery counters, exported by the CLI as
// labwatch_output_{sent,queued,retried,dropped,disk_dropped}_total{output="name"}.
type OutputStats struct {
	Sent    atomic.Uint64 // messages written to the receiver for the first time
	Queued  atomic.Uint64 // alerts stored in the disk queue
	Retried atomic.Uint64 // messages written again after a reconnect (duplicates at the receiver are possible)
	Dropped atomic.Uint64 // alerts lost at a cap (queue full, buffer full) or unrenderable
	// DiskDropped counts the alerts of Dropped that the disk refused (full,
	// read-only, I/O error): exported as labwatch_output_disk_dropped_total.
	DiskDropped atomic.Uint64
}

// Multi fans alerts out to several sinks (the config's outputs list).
type Multi []Sink

// Write hands a to every sink.
func (m Multi) Write(a *detect.Alert) {
	for _, s := range m {
		s.Write(a)
	}
}

// Close closes every sink and joins their errors.
func (m Multi) Close() error {
	var errs []error
	for _, s := range m {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

var (
	_ Sink = (*JSONLines)(nil)
	_ Sink = (*Syslog)(nil)
	_ Sink = Multi(nil)
)
