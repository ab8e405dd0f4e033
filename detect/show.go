package detect

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteText prints a baseline for a biomed or LIS engineer: per device, what it
// offers, whom it talks to, what it sends and when it is busy.
func (bf *BaselineFile) WriteText(w io.Writer) error {
	state := "complete"
	if bf.Observed < bf.Learn {
		state = "still learning"
	}
	p := &printer{w: w}
	p.f("Baseline of sensor %s, saved %s (time zone %s)\n", bf.Sensor, bf.Saved.Format("2006-01-02 15:04 MST"), bf.TimeZone)
	p.f("Learned %s of capture time; learning window %s: %s. %d devices.\n",
		time.Duration(bf.Observed).Round(time.Minute), bf.Learn.String(), state, len(bf.Devices))
	for i := range bf.Devices {
		d := &bf.Devices[i]
		p.f("\n%s", d.IP)
		if d.Name != "" || d.Role != "" {
			p.f("  %s %s", d.Name, d.Role)
		}
		if d.MAC != "" {
			p.f("  mac %s", d.MAC)
		}
		if d.Hostname != "" {
			p.f("  dhcp %s", d.Hostname)
		}
		if d.DNSName != "" {
			p.f("  dns %s", d.DNSName)
		}
		p.f("\n  seen %s – %s\n", d.FirstSeen.Format("2006-01-02 15:04"), d.LastSeen.Format("2006-01-02 15:04"))
		var offers, uses []string
		for _, s := range d.Services {
			name := serviceLabel(s.Transport, s.Port)
			if s.Offered {
				offers = append(offers, name)
			} else {
				uses = append(uses, name)
			}
		}
		p.f("  offers: %s\n  uses:   %s\n", joinOrNone(offers), joinOrNone(uses))
		for _, pe := range d.Peers {
			arrow := "->"
			if !pe.Outbound {
				arrow = "<-"
			}
			p.f("  peer %s %s %s (%d flows)\n", arrow, pe.Addr, serviceLabel(pe.Transport, pe.Port), pe.Flows)
		}
		for _, k := range sortedKeys(d.Known) {
			p.f("  sends %s (%d)\n", k, d.Known[k])
		}
		for _, sw := range d.Software {
			ctx := ""
			if sw.Context != "" && sw.Context != sw.Value {
				ctx = " (" + sw.Context + ")"
			}
			p.f("  software %s %s%s: %s\n", sw.App, sw.Kind, ctx, sw.Value)
		}
		p.f("  active hours: weekday %s; weekend %s\n", activeText(d.Profile, "weekday"), activeText(d.Profile, "weekend"))
		if d.OverCap > 0 {
			p.f("  %d peers, services or types not learned (caps reached)\n", d.OverCap)
		}
	}
	if len(bf.PHIPaths) > 0 {
		p.f("\nClear-text patient data paths:\n")
		for _, pa := range bf.PHIPaths {
			p.f("  %s -> %s:%d %s: %s (%d messages)\n", pa.Client, pa.Server, pa.Port, pa.App, strings.Join(pa.PHI, ","), pa.Count)
		}
	}
	if len(bf.Insecure) > 0 {
		p.f("\nInsecure protocols reported:\n")
		for _, in := range bf.Insecure {
			p.f("  %s %s (%d messages, first %s)\n", in.Device, in.Protocol, in.Count, in.First.Format("2006-01-02 15:04"))
		}
	}
	if len(bf.Credentials) > 0 {
		p.f("\nClear-text credential paths:\n")
		for _, pa := range bf.Credentials {
			p.f("  %s -> %s:%d %s user %s (%d logins)\n", pa.Client, pa.Server, pa.Port, pa.App, pa.UserHash, pa.Count)
		}
	}
	return p.err
}

// String writes the duration in Go's notation.
func (d Duration) String() string { return durationString(d) }

// printer remembers the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func serviceLabel(transport string, port uint16) string {
	if port == 0 {
		return transport + "/ephemeral"
	}
	return fmt.Sprintf("%s/%d", transport, port)
}

// activeText lists the hours with activity and their mean messages and
// connections, "07-18 (peak 14:00, 20 msgs/h)".
func activeText(prof []SlotBaseline, dayType string) string {
	var on [24]bool
	peak, peakMsgs := -1, float32(-1)
	for _, s := range prof {
		if s.DayType != dayType || s.N == 0 || s.Hour < 0 || s.Hour > 23 {
			continue
		}
		on[s.Hour] = s.Active > 0
		if m := s.Sum[msgsOut] / float32(s.N); s.Active > 0 && m > peakMsgs {
			peak, peakMsgs = s.Hour, m
		}
	}
	var parts []string
	start := -1
	for h := 0; h <= 24; h++ {
		if h < 24 && on[h] {
			if start < 0 {
				start = h
			}
			continue
		}
		if start >= 0 {
			parts = append(parts, fmt.Sprintf("%02d-%02d", start, h-1))
			start = -1
		}
	}
	if len(parts) == 0 {
		return "none learned"
	}
	return fmt.Sprintf("%s (busiest %02d:00, %.0f messages sent/h)", strings.Join(parts, ","), peak, peakMsgs)
}
