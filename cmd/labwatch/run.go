package main

import (
	"errors"
	"time"

	"labwatch/capture/live"
	"labwatch/capture/pcapfile"
)

func (c *runCmd) Run() error {
	src, err := live.Open(live.Options{
		Interface: c.Interface, BPF: c.BPF, Snaplen: c.Snaplen, Promisc: c.Promisc,
	})
	if err != nil {
		return err
	}
	defer src.Close()
	// Privileges are needed to open the capture only; drop them before the
	// first packet (and before files are opened, so they belong to the user).
	if err := dropPrivileges(c.User); err != nil {
		return err
	}
	p, err := c.setup()
	if err != nil {
		return err
	}
	p.sensor.SetLiveDrops(src.Drops)
	if err := p.serveMetrics(c.Metrics); err != nil {
		return err
	}
	p.log.Info().Str("interface", c.Interface).Str("bpf", c.BPF).Msg("capturing")

	stop, release := p.stopOnSignal()
	defer release()

	var pkt pcapfile.Packet
	var runErr error
	for !stop.Load() {
		err := src.Next(&pkt)
		switch {
		case err == nil:
			p.sensor.Packet(&pkt)
		case errors.Is(err, live.ErrTimeout):
			// An idle link still moves time on: timeouts fire, flows expire.
			p.sensor.Advance(time.Now())
		default:
			runErr = err
			stop.Store(true)
		}
	}
	kernel, iface := src.Drops()
	p.log.Info().Uint64("kernel_dropped", kernel).Uint64("interface_dropped", iface).Msg("capture stopped")
	if err := p.finish(c.Summary); err != nil {
		return err
	}
	return runErr
}
