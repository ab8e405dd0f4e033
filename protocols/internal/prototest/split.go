package prototest

import (
	"math/rand/v2"

	"labwatch/protocols/app"
)

// Size chooses the length of the next segment from what remains of a stream
// (rest > 0). A result outside 1..rest is clamped so every step advances.
type Size func(rest int) int

// Segments cuts b into consecutive pieces of the lengths size chooses.
func Segments(b []byte, size Size) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		n := clamp(size(len(b)), len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

// Interleave hands two streams to deliver in segments, as a capture would
// deliver both directions of a flow: each step takes the direction rng picks
// (the other one when that is used up) and the next segment of it, of the
// length size chooses. Random numbers are drawn in that order (direction,
// size, then whatever deliver draws), so a seed replays the same cuts.
func Interleave(rng *rand.Rand, streams [2][]byte, size Size, deliver func(app.Direction, []byte)) {
	for len(streams[0])+len(streams[1]) > 0 {
		d := app.Direction(rng.IntN(2))
		if len(streams[d]) == 0 {
			d = d.Reverse()
		}
		n := clamp(size(len(streams[d])), len(streams[d]))
		deliver(d, streams[d][:n])
		streams[d] = streams[d][n:]
	}
}

// UpTo returns a Size drawing 1..limit bytes, never more than remains.
func UpTo(rng *rand.Rand, limit int) Size {
	return func(rest int) int { return min(1+rng.IntN(limit), rest) }
}

// AnyOf returns a Size drawing 1..rest bytes.
func AnyOf(rng *rand.Rand) Size {
	return func(rest int) int { return 1 + rng.IntN(rest) }
}

func clamp(n, rest int) int {
	return max(1, min(n, rest))
}
