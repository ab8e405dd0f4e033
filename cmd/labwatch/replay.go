package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"labwatch/capture/pcapfile"
	"labwatch/report"
)

func (c *replayCmd) Run() error {
	r, err := pcapfile.Open(c.Files)
	if err != nil {
		return err
	}
	defer r.Close()
	p, err := c.setup()
	if err != nil {
		return err
	}
	if err := p.serveMetrics(c.Metrics); err != nil {
		return err
	}

	stopProfile, err := startProfiles(c.CPUProfile, c.MemProfile, c.LockProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	stop, release := p.stopOnSignal()
	defer release()

	done := make(chan struct{})
	if c.showProgress() {
		go showProgress(r, p.sensor.Packets, done)
	}
	var pkt pcapfile.Packet
	var n uint64
	var readErr error
	for !stop.Load() {
		if err := r.Next(&pkt); err != nil {
			if !errors.Is(err, io.EOF) {
				readErr = err
			}
			break
		}
		p.sensor.Packet(&pkt)
		n++
	}
	close(done)
	p.sensor.AddInputProblems(r.Problems())
	if err := p.finish(c.Summary); err != nil {
		return err
	}
	if c.Report != "" {
		if err := writeReport(c.Report, p.sensor.Report(p.recent)); err != nil {
			return err
		}
	}
	if readErr != nil && n == 0 {
		return readErr
	}
	if readErr != nil {
		p.log.Warn().Err(readErr).Msg("input ended early; everything before it was processed")
	}
	if n == 0 && len(r.Problems()) > 0 {
		pr := r.Problems()[0]
		return fmt.Errorf("no packet could be read: %s at offset %d: %s", pr.File, pr.Offset, pr.Reason)
	}
	return nil
}

func (c *replayCmd) showProgress() bool {
	switch c.Progress {
	case "always":
		return true
	case "never":
		return false
	}
	return term.IsTerminal(int(os.Stderr.Fd()))
}

// showProgress draws bytes read of the total, and the packet rate, on stderr
// until done is closed.
func showProgress(r *pcapfile.Reader, packets func() uint64, done <-chan struct{}) {
	_, total := r.Progress()
	if total <= 0 {
		total = -1 // unknown (stdin): a spinner
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetDescription("replay"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	last, lastAt := uint64(0), time.Now()
	for {
		select {
		case <-done:
			_ = bar.Finish()
			return
		case now := <-tick.C:
			read, _ := r.Progress()
			n := packets()
			rate := float64(n-last) / now.Sub(lastAt).Seconds()
			last, lastAt = n, now
			bar.Describe(fmt.Sprintf("replay %d packets, %.0f packets/s", n, rate))
			_ = bar.Set64(read)
		}
	}
}

// writeReport writes the HTML report with owner-only permissions: it describes
// the network, though never a patient.
func writeReport(path string, d *report.Data) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	if err := report.WriteHTML(f, d); err != nil {
		f.Close()
		return fmt.Errorf("--report: %w", err)
	}
	return f.Close()
}
