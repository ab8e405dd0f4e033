package report

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
)

func TestCollectWithoutEngineOrLog(t *testing.T) {
	d := Collect(nil, nil, nil)
	require.NotNil(t, d)
	assert.Empty(t, d.Edges)
	assert.False(t, d.Generated.IsZero())
}

// TestEdgesFromTheDemo checks the engine's report accessors on the demo: every
// clear-text PHI path says which kinds and application, and the LIS's HL7
// interface to the interface engine is among the paths.
func TestEdgesFromTheDemo(t *testing.T) {
	d, _ := runDemo(t, demoOptions())
	var lisToEngine bool
	for _, e := range d.Edges {
		if e.CleartextPHI {
			assert.NotEmpty(t, e.PHIKinds, "%s -> %s", e.Client, e.Server)
			assert.NotEmpty(t, e.Apps)
		}
		if e.Client == "10.40.1.10" && e.Server == "10.40.1.20" && e.Port == 6661 {
			lisToEngine = true
			assert.Positive(t, e.Flows)
		}
	}
	assert.True(t, lisToEngine)
	require.Contains(t, d.Volumes, "10.40.1.10")
	assert.NotEmpty(t, d.Volumes["10.40.1.10"])
	assert.Equal(t, "weekday", d.Current.DayType)
}

func TestAlertLogConcurrentUse(t *testing.T) {
	l := NewAlertLog(16)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				l.Add(&detect.Alert{Type: "scan"})
				l.Snapshot()
			}
		}()
	}
	wg.Wait()
	kept, omitted := l.Snapshot()
	assert.Len(t, kept, 16)
	assert.Equal(t, uint64(400-16), omitted)
}
