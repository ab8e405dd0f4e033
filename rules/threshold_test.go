package rules

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const thresholdRule = `rules:
  - id: burst
    expression: App == "hl7"
    severity: medium
    threshold: {count: 3, window: 1m, by: %s}
`

// matchAt runs s on an hl7 event from src to dst at t0+offset and returns the
// Count of the alert raised, or 0.
func matchAt(s *Set, src, dst string, offset time.Duration) int {
	m := msg("hl7", "ORU^R01", src+":40000", dst+":2575")
	m.TS = t0.Add(offset)
	alerts := s.Match(eventOf(m))
	if len(alerts) == 0 {
		return 0
	}
	return alerts[0].Count
}

func TestRuleThreshold(t *testing.T) {
	sec := time.Second
	tests := []struct {
		name   string
		by     string
		events []struct {
			src, dst string
			at       time.Duration
		}
		want []int // alert Count per event, 0 for none
	}{
		{"third match in the window alerts, later ones fold into the next alert", BySrc,
			[]struct {
				src, dst string
				at       time.Duration
			}{{"10.0.0.1", "10.0.0.9", 0}, {"10.0.0.1", "10.0.0.9", sec}, {"10.0.0.1", "10.0.0.9", 2 * sec},
				{"10.0.0.1", "10.0.0.9", 3 * sec}, {"10.0.0.1", "10.0.0.9", 4 * sec},
				{"10.0.0.1", "10.0.0.9", 70 * sec}, {"10.0.0.1", "10.0.0.9", 71 * sec}, {"10.0.0.1", "10.0.0.9", 72 * sec}},
			[]int{0, 0, 3, 0, 0, 0, 0, 5}},
		{"matches spread over windows never alert", BySrc,
			[]struct {
				src, dst string
				at       time.Duration
			}{{"10.0.0.1", "10.0.0.9", 0}, {"10.0.0.1", "10.0.0.9", 50 * sec}, {"10.0.0.1", "10.0.0.9", 65 * sec},
				{"10.0.0.1", "10.0.0.9", 130 * sec}, {"10.0.0.1", "10.0.0.9", 200 * sec}},
			[]int{0, 0, 0, 0, 0}},
		{"by src keeps sources apart", BySrc,
			[]struct {
				src, dst string
				at       time.Duration
			}{{"10.0.0.1", "10.0.0.9", 0}, {"10.0.0.2", "10.0.0.9", 0}, {"10.0.0.1", "10.0.0.9", 0},
				{"10.0.0.2", "10.0.0.9", 0}, {"10.0.0.1", "10.0.0.9", 0}},
			[]int{0, 0, 0, 0, 3}},
		{"by dst joins sources", ByDst,
			[]struct {
				src, dst string
				at       time.Duration
			}{{"10.0.0.1", "10.0.0.9", 0}, {"10.0.0.2", "10.0.0.9", 0}, {"10.0.0.3", "10.0.0.9", 0}},
			[]int{0, 0, 3}},
		{"by pair", ByPair,
			[]struct {
				src, dst string
				at       time.Duration
			}{{"10.0.0.1", "10.0.0.9", 0}, {"10.0.0.1", "10.0.0.8", 0}, {"10.0.0.1", "10.0.0.9", 0},
				{"10.0.0.1", "10.0.0.9", 0}},
			[]int{0, 0, 0, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustParse(t, fmt.Sprintf(thresholdRule, tc.by)).Rules
			var got []int
			for _, e := range tc.events {
				got = append(got, matchAt(s, e.src, e.dst, e.at))
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestRuleThresholdStats(t *testing.T) {
	s := mustParse(t, fmt.Sprintf(thresholdRule, BySrc)).Rules
	for i := range 5 {
		matchAt(s, "10.0.0.1", "10.0.0.9", time.Duration(i)*time.Second)
	}
	st := s.Stats()
	assert.Equal(t, uint64(5), st.Matches)
	assert.Equal(t, uint64(1), st.Alerts)
	assert.Equal(t, uint64(2), st.Held, "the two matches after the alert wait for the next one")
	assert.Equal(t, map[string]uint64{"burst": 1}, st.ByRule)
}

// TestRuleThresholdBounded floods a threshold rule with distinct sources: its
// state stays at MaxKeys and the evictions are counted.
func TestRuleThresholdBounded(t *testing.T) {
	s := mustParse(t, fmt.Sprintf(thresholdRule, BySrc)).Rules
	n := MaxKeys + 500
	for i := range n {
		src := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		matchAt(s, src, "10.0.0.9", time.Duration(i)*time.Millisecond)
	}
	r := s.rules[0]
	assert.LessOrEqual(t, len(r.counts.m), MaxKeys)
	assert.Equal(t, uint64(500), s.Stats().Evicted)

	// After the window, a new key sweeps the expired ones instead of evicting.
	matchAt(s, "10.255.0.1", "10.0.0.9", time.Hour)
	assert.Equal(t, uint64(500), s.Stats().Evicted)
	assert.Len(t, r.counts.m, 1)
}

func TestEvalErrorCountsAsNoMatch(t *testing.T) {
	s := mustParse(t, `rules:
  - id: index
    expression: PHI[3] == "name"
    severity: low
`).Rules
	assert.Empty(t, s.Match(&Event{App: "hl7"}))
	assert.Equal(t, uint64(1), s.Stats().EvalErrors)
}

func TestAdoptKeepsThresholdState(t *testing.T) {
	old := mustParse(t, fmt.Sprintf(thresholdRule, BySrc)).Rules
	matchAt(old, "10.0.0.1", "10.0.0.9", 0)
	matchAt(old, "10.0.0.1", "10.0.0.9", time.Second)

	reloaded := mustParse(t, fmt.Sprintf(thresholdRule, BySrc)+`  - id: other
    expression: App == "astm"
    severity: low
`).Rules
	reloaded.Adopt(old)
	assert.Equal(t, 3, matchAt(reloaded, "10.0.0.1", "10.0.0.9", 2*time.Second), "the third match counts the two seen before the reload")
	assert.Equal(t, uint64(3), reloaded.Stats().Matches)

	changed := mustParse(t, `rules:
  - id: burst
    expression: App == "hl7"
    severity: medium
    threshold: {count: 3, window: 2m, by: src}
`).Rules
	changed.Adopt(reloaded)
	assert.Zero(t, matchAt(changed, "10.0.0.1", "10.0.0.9", 3*time.Second), "a changed threshold starts afresh")
	require.Zero(t, changed.Stats().Alerts)
}
