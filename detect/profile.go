package detect

import "math"

// metric is one volume a device's hours are measured in.
type metric uint8

const (
	msgsOut metric = iota
	msgsIn
	connsOut // connections the device opened
	connsIn  // connections the device accepted
	bytesOut // wire bytes of finished short flows
	bytesIn
	numMetrics
)

var metricNames = [numMetrics]string{
	"messages_out", "messages_in", "connections_out", "connections_in", "bytes_out", "bytes_in",
}

// isCount tells whether a metric counts events (Poisson noise applies) rather than bytes.
func (m metric) isCount() bool { return m < bytesOut }

// hourCounts are one device's volumes during the open hour.
type hourCounts [numMetrics]float64

func (c *hourCounts) active() bool {
	return c[msgsOut]+c[msgsIn]+c[connsOut]+c[connsIn] > 0
}

// stat summarises one metric over the hours a slot has seen. float32 keeps a
// device's whole profile near 4 KB (see BenchmarkMemoryPerDevice).
type stat struct {
	Sum, SumSq, Min, Max float32
}

// slot is what is known of one hour of day on one day type.
type slot struct {
	N      uint16 // hours observed
	Active uint16 // hours with any connection or message
	M      [numMetrics]stat
}

// profile is a device's hour-of-day profile, weekday and weekend apart.
type profile [2][24]slot

// add learns one hour. When the slot already holds weight samples it forgets
// proportionally first, so that an adapting profile follows slow drifts.
func (s *slot) add(c *hourCounts, weight int) {
	if weight > 0 && int(s.N) >= weight {
		keep := float32(weight-1) / float32(weight)
		for i := range s.M {
			s.M[i].Sum *= keep
			s.M[i].SumSq *= keep
		}
		s.Active = uint16(float32(s.Active) * keep)
		s.N--
	}
	if s.N == math.MaxUint16 {
		return
	}
	for i, v := range c {
		st := &s.M[i]
		f := float32(v)
		if s.N == 0 || f < st.Min {
			st.Min = f
		}
		if s.N == 0 || f > st.Max {
			st.Max = f
		}
		st.Sum += f
		st.SumSq += f * f
	}
	if c.active() {
		s.Active++
	}
	s.N++
}

// mean and sd of metric m over the slot's hours.
func (s *slot) mean(m metric) float64 {
	if s.N == 0 {
		return 0
	}
	return float64(s.M[m].Sum) / float64(s.N)
}

func (s *slot) sd(m metric) float64 {
	if s.N < 2 {
		return 0
	}
	mu := s.mean(m)
	v := float64(s.M[m].SumSq)/float64(s.N) - mu*mu
	if v < 0 {
		return 0
	}
	// Sample (not population) variance: few days of learning.
	return math.Sqrt(v * float64(s.N) / float64(s.N-1))
}

// lookup returns the slot to judge an hour against: its own, or for a weekend
// hour never learned (a 72-hour window that fell on weekdays), the weekday slot
// of the same hour with fallback set.
func (p *profile) lookup(dayType, hour int) (s *slot, fallback bool) {
	s = &p[dayType][hour]
	if s.N < 2 && dayType == weekend && p[weekday][hour].N >= 2 {
		return &p[weekday][hour], true
	}
	return s, false
}

// dispersion estimates how much more a count metric varies than Poisson noise
// (variance over mean, pooled over every slot learned at least twice; at least
// 1). Counts that come in bundles — a web session's few messages, a label job's
// connections — vary more than independent events, and must not be judged as if
// each were independent.
func (p *profile) dispersion(m metric) float64 {
	var within, mean float64
	for dt := range p {
		for h := range p[dt] {
			s := &p[dt][h]
			if s.N < 2 {
				continue
			}
			sd := s.sd(m)
			within += float64(s.N-1) * sd * sd
			mean += float64(s.N-1) * s.mean(m)
		}
	}
	if mean <= 0 {
		return 1
	}
	return math.Max(1, within/mean)
}
