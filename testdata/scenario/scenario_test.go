package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeterministic(t *testing.T) {
	a, b := Generate(DefaultOptions()), Generate(DefaultOptions())
	require.Equal(t, len(a.Events), len(b.Events))
	for i := range a.Events {
		require.Equal(t, a.Events[i].TS, b.Events[i].TS, "event %d", i)
		require.Equal(t, a.Events[i].Kind, b.Events[i].Kind, "event %d", i)
	}
	o := DefaultOptions()
	o.Seed++
	assert.NotEqual(t, len(a.Events), len(Generate(o).Events), "another seed, other noise")
}

func TestEventsAreOrderedAndComplete(t *testing.T) {
	sc := Generate(DefaultOptions())
	open := map[uint64]bool{}
	for i, ev := range sc.Events {
		if i > 0 {
			require.False(t, ev.TS.Before(sc.Events[i-1].TS), "event %d out of order", i)
		}
		require.NotNil(t, ev.Flow)
		switch ev.Kind {
		case FlowStart:
			open[ev.Flow.ID] = true
		case FlowEnd:
			require.True(t, open[ev.Flow.ID], "end before start")
			delete(open, ev.Flow.ID)
		case Message:
			require.True(t, open[ev.Flow.ID], "message outside its flow")
			require.NotNil(t, ev.Msg)
		case Anomaly:
			require.NotNil(t, ev.Anom)
		}
	}
	assert.Empty(t, open)
}

func TestTruthCoversEveryType(t *testing.T) {
	sc := Generate(DefaultOptions())
	types := map[string]bool{}
	judged := sc.Start.Add(sc.Learn)
	for _, tr := range sc.Truth {
		assert.False(t, tr.From.Before(judged), "%s injected while learning", tr.Type)
		assert.True(t, tr.To.After(tr.From))
		if !tr.Optional {
			types[tr.Type] = true
		}
	}
	for _, typ := range []string{"new_device", "new_peer", "new_service", "volume_anomaly", "unusual_time",
		"new_message_type", "cleartext_phi", "protocol_anomaly", "cleartext_credentials", "scan"} {
		assert.True(t, types[typ], "no injection of %s", typ)
	}
	assert.NotEmpty(t, sc.Benign)
}

func TestDailyRhythm(t *testing.T) {
	// Day shifts are busier than nights, weekdays than Saturday.
	sc := Generate(DefaultOptions())
	perHour := map[int]int{}
	saturday, weekday := 0, 0
	for _, ev := range sc.Events {
		if ev.Kind != Message {
			continue
		}
		perHour[ev.TS.Hour()]++
		switch ev.TS.Weekday() {
		case 6:
			saturday++
		case 2:
			weekday++
		}
	}
	assert.Greater(t, perHour[11], 2*perHour[3])
	assert.Greater(t, weekday, saturday)
}
