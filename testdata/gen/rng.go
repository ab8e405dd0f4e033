package gen

import (
	"math"
	"math/rand/v2"
	"time"
)

// rng is the one random source of a generation run. Every draw happens in a fixed
// order, so a seed fully decides the capture.
type rng struct{ *rand.Rand }

func newRNG(seed uint64) *rng {
	return &rng{rand.New(rand.NewPCG(seed, seed^0x6c6162776174636b))}
}

// between returns an int in [lo, hi].
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

// chance is true with probability p.
func (r *rng) chance(p float64) bool { return r.Float64() < p }

// micros returns a duration in [lo, hi] as whole microseconds, the capture's
// timestamp resolution.
func (r *rng) micros(lo, hi time.Duration) int64 {
	return int64(r.between(int(lo/time.Microsecond), int(hi/time.Microsecond)))
}

// expMicros draws an exponential delay with the given mean, clamped to
// [mean/20, 6*mean] so one draw can neither stall nor burst a flow.
func (r *rng) expMicros(mean time.Duration) int64 {
	m := float64(mean / time.Microsecond)
	v := -m * math.Log(1-r.Float64())
	v = max(m/20, min(v, 6*m))
	return max(1, int64(v))
}

// pick returns one element of s.
func pick[T any](r *rng, s []T) T { return s[r.IntN(len(s))] }
