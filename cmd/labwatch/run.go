package main

import (
	"errors"
	"sync/atomic"
	"time"

	"labwatch/capture/live"
	"labwatch/capture/pcapfile"
)

// Reopening a capture that failed (the interface went away, a driver reset)
// backs off from reopenMin to reopenMax between attempts.
const (
	reopenMin = time.Second
	reopenMax = 30 * time.Second
)

func (c *runCmd) options() live.Options {
	return live.Options{Interface: c.Interface, BPF: c.BPF, Snaplen: c.Snaplen, Promisc: c.Promisc}
}

func (c *runCmd) Run() error {
	first, err := live.Open(c.options())
	if err != nil {
		return err
	}
	// The source is replaced when the capture is reopened; metrics read its
	// drop counters from another goroutine.
	var cur atomic.Pointer[live.Source]
	cur.Store(first)
	// Drop counters of failed handles, added to the current one's.
	var baseKernel, baseIface atomic.Uint64
	defer func() { cur.Load().Close() }()
	// Privileges are needed to open the capture only; drop them before the
	// first packet (and before files are opened, so they belong to the user).
	if err := dropPrivileges(c.User); err != nil {
		return err
	}
	p, err := c.setup()
	if err != nil {
		return err
	}
	p.sensor.SetLiveDrops(func() (uint64, uint64) {
		k, i := cur.Load().Drops()
		return baseKernel.Load() + k, baseIface.Load() + i
	})
	if err := p.serveMetrics(c.Metrics); err != nil {
		return err
	}
	p.log.Info().Str("interface", c.Interface).Str("bpf", c.BPF).Msg("capturing")

	stop, release := p.stopOnSignal()
	defer release()

	var pkt pcapfile.Packet
	for !stop.Load() {
		err := cur.Load().Next(&pkt)
		switch {
		case err == nil:
			p.sensor.Packet(&pkt)
		case errors.Is(err, live.ErrTimeout):
			// An idle link still moves time on: timeouts fire, flows expire.
			p.sensor.Advance(time.Now())
		default:
			// The interface went away or the driver reset: keep the learned
			// state and the outputs, and reopen with backoff.
			p.sensor.CaptureOutage()
			p.log.Error().Err(err).Str("interface", c.Interface).Msg("capture failed; reopening")
			failed := cur.Load()
			failed.Close()
			k, i := failed.Drops()
			baseKernel.Add(k)
			baseIface.Add(i)
			if src := c.reopen(p, stop); src != nil {
				cur.Store(src)
				p.log.Info().Str("interface", c.Interface).Msg("capture reopened")
			}
		}
	}
	kernel, iface := cur.Load().Drops()
	kernel, iface = kernel+baseKernel.Load(), iface+baseIface.Load()
	p.log.Info().Uint64("kernel_dropped", kernel).Uint64("interface_dropped", iface).Msg("capture stopped")
	return p.finish(c.Summary)
}

// reopen retries opening the capture until it works or the sensor is stopped;
// it returns nil when stopped. While it waits the capture clock still moves.
func (c *runCmd) reopen(p *pipeline, stop *atomic.Bool) *live.Source {
	wait := reopenMin
	for !stop.Load() {
		src, err := live.Open(c.options())
		if err == nil {
			return src
		}
		p.log.Warn().Err(err).Dur("retry_in", wait).Msg("capture not available")
		for end := time.Now().Add(wait); time.Now().Before(end) && !stop.Load(); {
			time.Sleep(100 * time.Millisecond)
		}
		p.sensor.Advance(time.Now())
		wait = min(2*wait, reopenMax)
	}
	// Stopped while waiting: a closed placeholder is never read again.
	return nil
}
