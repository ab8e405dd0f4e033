package main

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"labwatch/capture/afpacket"
	"labwatch/capture/pcapfile"
	"labwatch/sensor"
)

// fanoutCapture is an AF_PACKET fanout group with one socket per worker: the
// kernel hashes each flow to one socket, and socket i's goroutine feeds the
// sensor's lane i directly, with no hand-off between goroutines.
type fanoutCapture struct{ g *afpacket.Group }

func (c *runCmd) openFanout() (liveCapture, error) {
	g, err := afpacket.Open(afpacket.Options{
		Interface: c.Interface, BPF: c.BPF, Snaplen: c.Snaplen, Promisc: c.Promisc,
		Sockets: c.workers(),
		// Blocks of 1 MiB, so --ring-size MiB is the block count (0: default).
		BlockSize: afpacket.DefaultBlockSize, NumBlocks: c.RingSize,
	})
	if err != nil {
		return nil, err
	}
	return &fanoutCapture{g}, nil
}

// workers is the worker count setup will give the sensor, needed before setup
// runs (the capture is opened before privileges are dropped). A config that
// does not load fails in setup; one socket until then.
func (c *runCmd) workers() int {
	cfg, err := c.config()
	if err != nil {
		return 1
	}
	return max(cfg.Workers, 1)
}

func (f *fanoutCapture) Drops() (kernel, iface uint64) { return f.g.Drops() }
func (f *fanoutCapture) Close()                        { f.g.Close() }

// serve runs one reader per lane. When one socket fails (the interface went
// away) the others stop within a poll timeout, so that the group is reopened as
// a whole.
func (f *fanoutCapture) serve(p *pipeline, stop *atomic.Bool) error {
	lanes := p.sensor.Lanes()
	var failed atomic.Bool
	errs := make([]error, len(lanes))
	var wg sync.WaitGroup
	for i, lane := range lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = feedLane(lane, f.g.Socket(i), stop, &failed)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// feedLane reads one socket into one lane until stop or failed is set; it sets
// failed (and returns the error) when its socket fails.
func feedLane(lane *sensor.Lane, sock *afpacket.Socket, stop, failed *atomic.Bool) error {
	var pkt pcapfile.Packet
	for !stop.Load() && !failed.Load() {
		err := sock.Next(&pkt)
		switch {
		case err == nil:
			lane.Packet(&pkt)
		case errors.Is(err, afpacket.ErrTimeout):
			// An idle link still moves this lane's time on.
			lane.Advance(time.Now())
		default:
			failed.Store(true)
			return err
		}
	}
	return nil
}
