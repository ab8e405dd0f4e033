package prototest

import "labwatch/protocols/app"

// FuzzSteps cuts fuzz input into pieces the way a seed chooses, so one input
// exercises many segmentations of both directions: each step takes
// seed%span+1 bytes (fewer at the end) in direction seed>>7&1 and hands them
// to step with that step's seed (for gaps or ends it draws from higher bits),
// then advances seed as a 64-bit LCG.
func FuzzSteps(data []byte, seed uint64, span int, step func(seed uint64, dir app.Direction, piece []byte)) {
	for len(data) > 0 {
		n := min(int(seed%uint64(span))+1, len(data))
		step(seed, app.Direction(seed>>7&1), data[:n])
		data = data[n:]
		seed = seed*6364136223846793005 + 1442695040888963407
	}
}
