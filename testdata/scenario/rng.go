package scenario

import (
	"math"
	"math/rand/v2"
	"time"
)

// rng wraps a seeded generator with the draws the traffic model needs.
type rng struct{ r *rand.Rand }

func newRNG(seed uint64) *rng { return &rng{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

// poisson draws a Poisson count: Knuth's method for small means, a rounded
// normal for large ones.
func (g *rng) poisson(mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*g.r.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// within returns a random instant in [t, t+d).
func (g *rng) within(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	return t.Add(time.Duration(g.r.Int64N(int64(d))))
}

// ephemeral returns a client port from the dynamic range.
func (g *rng) ephemeral() uint16 { return uint16(49152 + g.r.IntN(16384)) }
