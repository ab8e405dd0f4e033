package main

import (
	"fmt"
	"sync/atomic"
	"time"

	"labwatch/sensor"
)

// Reopening a capture that failed (the interface went away, a driver reset)
// backs off from reopenMin to reopenMax between attempts.
const (
	reopenMin = time.Second
	reopenMax = 30 * time.Second
)

// captureFlags choose how `run` reads the interface.
type captureFlags struct {
	Capture  string `help:"Capture method: afpacket (Linux AF_PACKET TPACKET_V3 rings, one fanout socket per worker), pcap (libpcap), or auto (afpacket where it opens, else pcap)." enum:"auto,afpacket,pcap" default:"auto"`
	RingSize int    `help:"AF_PACKET ring per worker socket, in MiB: bursts this large are absorbed before the kernel drops (default 64)." default:"64" placeholder:"MIB"`
}

// liveCapture is an open capture of either kind, as the run loop sees it.
type liveCapture interface {
	// serve feeds packets to the sensor until stop is set (nil) or the
	// capture fails (the error; the caller reopens it).
	serve(p *pipeline, stop *atomic.Bool) error
	Drops() (kernel, iface uint64)
	Close()
}

// Run captures until SIGINT or SIGTERM, reopening the capture when it fails,
// then flushes the sensor and writes the summary.
func (c *runCmd) Run() error {
	first, why, err := c.openFirst()
	if err != nil {
		return err
	}
	drops := &dropTally{}
	drops.use(first)
	defer drops.close()
	// Privileges are needed to open the capture only; drop them before the
	// first packet (and before files are opened, so they belong to the user).
	if err := dropPrivileges(c.User); err != nil {
		return err
	}
	_, c.fanout = first.(*fanoutCapture)
	p, err := c.setup()
	if err != nil {
		return err
	}
	if err := fitsLanes(first, p.sensor); err != nil {
		return err
	}
	p.sensor.SetLiveDrops(drops.total)
	if err := p.serveMetrics(c.Metrics); err != nil {
		return err
	}
	p.log.Info().Str("interface", c.Interface).Str("bpf", c.BPF).Str("capture", c.Capture).
		Str("why", why).Int("workers", max(p.cfg.Workers, 1)).Msg("capturing")

	stop, release := p.stopOnSignal()
	defer release()

	for cur := first; cur != nil && !stop.Load(); {
		err := cur.serve(p, stop)
		if err == nil {
			break
		}
		// The interface went away or the driver reset: keep the learned
		// state and the outputs, and reopen with backoff.
		p.sensor.CaptureOutage()
		p.log.Error().Err(err).Str("interface", c.Interface).Msg("capture failed; reopening")
		drops.retire()
		if cur = c.reopen(p, stop); cur != nil {
			drops.use(cur)
			p.log.Info().Str("interface", c.Interface).Msg("capture reopened")
		}
	}
	kernel, iface := drops.total()
	p.log.Info().Uint64("kernel_dropped", kernel).Uint64("interface_dropped", iface).Msg("capture stopped")
	return p.finish(c.Summary)
}

// openFirst opens the capture method asked for; with auto it tries AF_PACKET and
// falls back to libpcap, and c.Capture is set to the method that opened (reopens
// use the same). why says how it was chosen, for the log.
func (c *runCmd) openFirst() (liveCapture, string, error) {
	if c.Capture != "auto" {
		cur, err := c.open()
		return cur, "asked for with --capture", err
	}
	c.Capture = "afpacket"
	cur, err := c.open()
	if err == nil {
		return cur, "auto: AF_PACKET opened", nil
	}
	c.Capture = "pcap"
	cur, pcapErr := c.open()
	return cur, "auto: AF_PACKET did not open (" + err.Error() + ")", pcapErr
}

// open opens the capture method in c.Capture.
func (c *runCmd) open() (liveCapture, error) {
	if c.Capture == "afpacket" {
		return c.openFanout()
	}
	return c.openPcap()
}

// reopen retries opening the capture until it works or the sensor is stopped;
// it returns nil when stopped. While it waits the capture clock still moves.
func (c *runCmd) reopen(p *pipeline, stop *atomic.Bool) liveCapture {
	wait := reopenMin
	for !stop.Load() {
		cur, err := c.open()
		if err == nil {
			if err = fitsLanes(cur, p.sensor); err == nil {
				return cur
			}
			cur.Close()
		}
		p.log.Warn().Err(err).Dur("retry_in", wait).Msg("capture not available")
		for end := time.Now().Add(wait); time.Now().Before(end) && !stop.Load(); {
			time.Sleep(100 * time.Millisecond)
		}
		p.advance(time.Now())
		wait = min(2*wait, reopenMax)
	}
	return nil
}

// advance moves the capture clock on when no packet is read: through every lane
// with a fanout capture, else through the sensor.
func (p *pipeline) advance(now time.Time) {
	if lanes := p.sensor.Lanes(); len(lanes) > 0 {
		for _, l := range lanes {
			l.Advance(now)
		}
		return
	}
	p.sensor.Advance(now)
}

// fitsLanes checks that a fanout capture has one socket per sensor lane.
func fitsLanes(cur liveCapture, s *sensor.Sensor) error {
	f, ok := cur.(*fanoutCapture)
	if !ok || f.g.Len() == len(s.Lanes()) {
		return nil
	}
	return fmt.Errorf("afpacket: %d sockets opened for %d workers", f.g.Len(), len(s.Lanes()))
}
