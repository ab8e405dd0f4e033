package rules

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
)

func alertAt(typ, ruleID, src, dst string, offset time.Duration) *detect.Alert {
	return &detect.Alert{TS: t0.Add(offset), Type: typ, RuleID: ruleID, Severity: detect.SeverityMedium,
		Device: src, SrcIP: src, DstIP: dst, Summary: "test"}
}

func TestSuppressMatching(t *testing.T) {
	sup := mustParse(t, `suppress:
  - rule_id: noisy
  - type: new_peer
    device: 10.40.1.0/24
  - type: scan
    peer: 10.9.9.9
  - type: new_service
    device: 10.40.2.10
    peer: 10.9.0.0/16
`).Suppressor
	tests := []struct {
		name  string
		alert *detect.Alert
		emit  bool
	}{
		{"rule id", alertAt(detect.AlertRule, "noisy", "10.0.0.1", "10.0.0.2", 0), false},
		{"other rule id", alertAt(detect.AlertRule, "quiet", "10.0.0.1", "10.0.0.2", 0), true},
		{"type and device CIDR", alertAt(detect.AlertNewPeer, "", "10.40.1.7", "10.0.0.2", 0), false},
		{"type, device outside", alertAt(detect.AlertNewPeer, "", "10.40.5.7", "10.0.0.2", 0), true},
		{"other type, device inside", alertAt(detect.AlertNewDevice, "", "10.40.1.7", "10.0.0.2", 0), true},
		{"peer is the other end", alertAt(detect.AlertScan, "", "10.0.0.1", "10.9.9.9", 0), false},
		{"peer when the device is the destination", func() *detect.Alert {
			a := alertAt(detect.AlertScan, "", "10.9.9.9", "10.0.0.1", 0)
			a.Device = "10.0.0.1"
			return a
		}(), false},
		{"device and peer both needed", alertAt(detect.AlertNewService, "", "10.40.2.10", "10.8.0.1", 0), true},
		{"device and peer", alertAt(detect.AlertNewService, "", "10.40.2.10", "10.9.3.1", 0), false},
		{"device not an address", func() *detect.Alert {
			a := alertAt(detect.AlertNewPeer, "", "10.40.1.7", "10.0.0.2", 0)
			a.Device = "chem-line"
			return a
		}(), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.emit, sup.Filter(tc.alert))
		})
	}
	assert.Equal(t, uint64(6), sup.Stats().Held[ReasonSuppress])
}

func TestLimitFoldsHeldCount(t *testing.T) {
	sup := mustParse(t, `limit:
  - type: new_peer
    count: 2
    window: 1h
    by: src
`).Suppressor
	var emitted, counts []int
	for i := range 6 {
		a := alertAt(detect.AlertNewPeer, "", "10.0.0.1", "10.0.0.2", time.Duration(i)*time.Minute)
		if sup.Filter(a) {
			emitted, counts = append(emitted, i), append(counts, a.Count)
		}
	}
	a := alertAt(detect.AlertNewPeer, "", "10.0.0.1", "10.0.0.2", 2*time.Hour)
	require.True(t, sup.Filter(a), "a new window lets the next one through")
	assert.Equal(t, 5, a.Count, "itself and the four held")
	assert.Equal(t, []int{0, 1}, emitted)
	assert.Equal(t, []int{0, 0}, counts)

	other := alertAt(detect.AlertNewPeer, "", "10.0.0.7", "10.0.0.2", 0)
	assert.True(t, sup.Filter(other), "another source has its own limit")
	assert.True(t, sup.Filter(alertAt(detect.AlertScan, "", "10.0.0.1", "10.0.0.2", 0)), "other types are not limited")

	st := sup.Stats()
	assert.Equal(t, uint64(4), st.Held[ReasonLimit])
	assert.Zero(t, st.Pending, "everything held was reported")
}

func TestThresholdEveryN(t *testing.T) {
	sup := mustParse(t, `threshold:
  - rule_id: chatty
    count: 3
`).Suppressor
	var counts []int
	for i := range 7 {
		a := alertAt(detect.AlertRule, "chatty", "10.0.0.1", "10.0.0.2", time.Duration(i)*time.Hour)
		if i == 4 {
			a.Count = 5 // an alert that already stands for five (deduplicated upstream)
		}
		if sup.Filter(a) {
			counts = append(counts, a.Count)
		} else {
			counts = append(counts, 0)
		}
	}
	assert.Equal(t, []int{0, 0, 3, 0, 0, 7, 0}, counts)
	st := sup.Stats()
	assert.Equal(t, uint64(2+1+5+1), st.Held[ReasonThreshold])
	assert.Equal(t, uint64(1), st.Pending)
}

func TestSuppressorFirstEntryDecides(t *testing.T) {
	sup := mustParse(t, `suppress:
  - type: scan
limit:
  - type: new_peer
    count: 1
    window: 1h
threshold:
  - type: new_peer
    count: 100
`).Suppressor
	assert.False(t, sup.Filter(alertAt(detect.AlertScan, "", "10.0.0.1", "10.0.0.2", 0)))
	assert.True(t, sup.Filter(alertAt(detect.AlertNewPeer, "", "10.0.0.1", "10.0.0.2", 0)), "the limit decides, not the threshold")
	assert.False(t, sup.Filter(alertAt(detect.AlertNewPeer, "", "10.0.0.1", "10.0.0.2", 0)))
	var nilSup *Suppressor
	assert.True(t, nilSup.Filter(alertAt(detect.AlertScan, "", "10.0.0.1", "10.0.0.2", 0)))
	assert.Empty(t, nilSup.Stats().Held)
}

// TestSuppressorBounded floods a limit with distinct sources.
func TestSuppressorBounded(t *testing.T) {
	sup := mustParse(t, `limit:
  - type: new_device
    count: 1
    window: 10m
`).Suppressor
	for i := range MaxKeys + 100 {
		src := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		sup.Filter(alertAt(detect.AlertNewDevice, "", src, "", time.Duration(i)*time.Millisecond))
	}
	assert.LessOrEqual(t, len(sup.rates[0].counts.m), MaxKeys)
	assert.Equal(t, uint64(100), sup.Stats().Evicted)
}

func TestSuppressorAdopt(t *testing.T) {
	const src = `limit:
  - type: new_peer
    count: 1
    window: 1h
`
	old := mustParse(t, src).Suppressor
	old.Filter(alertAt(detect.AlertNewPeer, "", "10.0.0.1", "10.0.0.2", 0))
	old.Filter(alertAt(detect.AlertNewPeer, "", "10.0.0.1", "10.0.0.2", time.Minute))

	reloaded := mustParse(t, src).Suppressor
	reloaded.Adopt(old)
	assert.False(t, reloaded.Filter(alertAt(detect.AlertNewPeer, "", "10.0.0.1", "10.0.0.2", 2*time.Minute)), "still over the limit after a reload")
	a := alertAt(detect.AlertNewPeer, "", "10.0.0.1", "10.0.0.2", 2*time.Hour)
	require.True(t, reloaded.Filter(a))
	assert.Equal(t, 3, a.Count)
	assert.Equal(t, uint64(2), reloaded.Stats().Held[ReasonLimit])
}
