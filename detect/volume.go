package detect

import (
	"fmt"
	"math"
	"net/netip"
	"sort"
)

// closeHour ends the open hour for every device: devices still learning (and,
// with Adapt, judged devices whose hour was normal) add it to their profile;
// judged devices are scored for spikes and silences. An hour in which the sensor
// saw no event at all is skipped: it says the sensor was blind, not that the
// devices were quiet. A partial hour (the sensor started or stopped inside it;
// ending is set at the end of input) is only checked for spikes: it is neither
// learned nor taken as a silence.
func (e *Engine) closeHour(ending bool) {
	partial := ending || e.partial
	if !e.hourBusy {
		for _, d := range e.m.devices {
			d.cur = hourCounts{}
		}
		return
	}
	dt, hr := slotOf(e.hour, e.loc)
	addrs := make([]netip.Addr, 0, len(e.m.devices))
	for a := range e.m.devices {
		addrs = append(addrs, a)
	}
	// Scoring order decides alert order: keep it stable.
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	for _, a := range addrs {
		d := e.m.devices[a]
		s := &d.prof[dt][hr]
		switch {
		case !e.judged(d):
			if !partial {
				s.add(&d.cur, 0)
			}
		default:
			e.scoreHour(a, d, dt, hr, partial)
			// Adapting learns alarming hours too: a lasting change is reported
			// once and then becomes the norm within a few AdaptWeight days.
			if e.cfg.Adapt && !partial {
				s.add(&d.cur, e.cfg.AdaptWeight)
			}
		}
		if d.cur.active() || d.cur[bytesOut]+d.cur[bytesIn] > 0 {
			d.recent.add(e.hour, &d.cur)
		}
		d.cur = hourCounts{}
	}
}

// finding is the most significant deviation of one device's hour.
type finding struct {
	m                metric
	seen, mean, sd   float64
	score            float64
	silence, fallbak bool
}

// scoreHour compares a device's hour with its profile and raises at most one
// volume_anomaly, for the metric that deviates most.
//
// Counts follow Poisson noise: the spread used is at least the square root of
// the mean (times the device's dispersion, for counts that come in bundles), so
// a device that usually sends 2 messages at night does not alarm on 6. Spikes need VolumeSigmas spreads, VolumeRatio times the mean and a minimum
// excess; hours the device was never active in are left to unusual_time. A
// silence needs an expected count of SilenceMinExpected independent events
// (the mean over the dispersion) in an hour of the day that was never quiet
// while learning, and less than a tenth of it seen.
func (e *Engine) scoreHour(a netip.Addr, d *devModel, dt, hr int, partial bool) {
	s, fallback := d.prof.lookup(dt, hr)
	if s.N < 2 {
		return
	}
	var best *finding
	for m := metric(0); m < numMetrics; m++ {
		seen, mu, sd := d.cur[m], s.mean(m), s.sd(m)
		disp := 1.0
		spread, minExcess := 0.0, 10.0
		if m.isCount() {
			disp = d.prof.dispersion(m)
			spread = math.Max(sd, math.Sqrt(math.Max(mu, 1)*disp))
		}
		if m == connsOut || m == connsIn {
			// Reconnect storms after a restart are normal: only floods count.
			minExcess = 50
		}
		if !m.isCount() {
			// Bytes come in flows: their noise is that of a Poisson count of
			// flows times the mean flow size.
			flows := math.Max(s.mean(connsOut)+s.mean(connsIn), 1)
			spread, minExcess = math.Max(sd, math.Max(0.25*mu, mu/math.Sqrt(flows))), 256<<10
		}
		// Learned from a few days only: widen the spread of thin slots.
		spread *= 1 + 2/float64(s.N)
		f := finding{m: m, seen: seen, mean: mu, sd: sd, fallbak: fallback}
		switch {
		case s.Active > 0 && seen > mu+e.cfg.VolumeSigmas*spread && seen >= e.cfg.VolumeRatio*mu && seen-mu >= minExcess:
			f.score = (seen - mu) / spread
		case m.isCount() && !fallback && !partial && mu/disp >= e.cfg.SilenceMinExpected && seen <= mu/10 &&
			float64(s.M[m].Min) >= mu/3 && s.Active == s.N:
			f.silence = true
			f.score = (mu - seen) / spread
		default:
			continue
		}
		if best == nil || f.score > best.score {
			best = &f
		}
	}
	if best != nil {
		e.volumeAlert(a, best, dt, hr, s.N)
	}
}

func (e *Engine) volumeAlert(a netip.Addr, f *finding, dt, hr int, n uint16) {
	start := hourStart(e.hour)
	al := flowAlert(AlertVolumeAnomaly, start.Add(3599e9), a, nil)
	what := "spike"
	if f.silence {
		what = "silence"
	}
	day := dayTypeNames[dt]
	if f.fallbak {
		day += " (no weekend learned; weekday profile)"
	}
	local := start.In(e.loc)
	al.Summary = fmt.Sprintf("%s %s %s %02d:00–%02d:00; usual for a %s at %02d:00 is %s ± %s",
		a, verbOf(f.m), formatAmount(f.m, f.seen), local.Hour(), (local.Hour()+1)%24, day, hr,
		formatAmount(f.m, f.mean), fmt.Sprintf("%.0f", f.sd))
	al.Severity = e.severity(SeverityLow, a, netip.Addr{})
	al.Details = map[string]any{
		"metric": metricNames[f.m], "kind": what, "seen": f.seen, "expected": round1(f.mean), "sd": round1(f.sd),
		"hour": hr, "day_type": dayTypeNames[dt], "learned_hours": n, "weekday_fallback": f.fallbak,
	}
	e.raise(al, metricNames[f.m]+" "+what)
}

func verbOf(m metric) string {
	switch m {
	case msgsOut:
		return "sent"
	case msgsIn:
		return "received"
	case connsOut:
		return "opened"
	case connsIn:
		return "accepted"
	case bytesOut:
		return "sent"
	}
	return "received"
}

func formatAmount(m metric, v float64) string {
	switch m {
	case msgsOut, msgsIn:
		return fmt.Sprintf("%.0f messages", v)
	case connsOut, connsIn:
		return fmt.Sprintf("%.0f connections", v)
	}
	return fmt.Sprintf("%.0f bytes", v)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
