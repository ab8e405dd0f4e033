package main

import (
	"errors"
	"sync/atomic"
	"time"

	"labwatch/capture/live"
	"labwatch/capture/pcapfile"
)

// pcapCapture reads one libpcap handle in one goroutine; with several workers
// the sensor shards the packets itself.
type pcapCapture struct{ *live.Source }

func (c *runCmd) openPcap() (liveCapture, error) {
	src, err := live.Open(live.Options{Interface: c.Interface, BPF: c.BPF, Snaplen: c.Snaplen, Promisc: c.Promisc})
	if err != nil {
		return nil, err
	}
	return pcapCapture{src}, nil
}

func (pc pcapCapture) serve(p *pipeline, stop *atomic.Bool) error {
	var pkt pcapfile.Packet
	for !stop.Load() {
		err := pc.Next(&pkt)
		switch {
		case err == nil:
			p.sensor.Packet(&pkt)
		case errors.Is(err, live.ErrTimeout):
			// An idle link still moves time on: timeouts fire, flows expire.
			p.sensor.Advance(time.Now())
		default:
			return err
		}
	}
	return nil
}
