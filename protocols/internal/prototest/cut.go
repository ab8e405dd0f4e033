package prototest

import "math/rand/v2"

// Cut chooses where to cut a piece of n bytes: ascending offsets, of which
// those outside 1..n-1 or not past the previous one are ignored.
type Cut func(n int) []int

// FeedCut hands data to feed in the pieces cut chooses (nil: whole), always
// ending with the rest, so that a replay sees the same bytes in more calls.
func FeedCut(data []byte, cut Cut, feed func([]byte)) {
	prev := 0
	if cut != nil {
		for _, k := range cut(len(data)) {
			if k > prev && k < len(data) {
				feed(data[prev:k])
				prev = k
			}
		}
	}
	feed(data[prev:])
}

// RandomCuts cuts every 1..stride bytes, drawing each step from rng.
func RandomCuts(rng *rand.Rand, stride int) Cut {
	return func(n int) []int {
		var c []int
		for k := 0; k < n; k += 1 + rng.IntN(stride) {
			c = append(c, k)
		}
		return c
	}
}

// EveryByte cuts a piece into single bytes.
func EveryByte(n int) []int {
	c := make([]int, n)
	for k := range c {
		c[k] = k
	}
	return c
}

// ReplayCuts are the two replays a segmentation test compares with the
// whole: cut at random points (RandomCuts) and byte by byte.
func ReplayCuts(rng *rand.Rand, stride int) []Cut {
	return []Cut{RandomCuts(rng, stride), EveryByte}
}
