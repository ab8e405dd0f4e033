package detect_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
)

// TestFlowProgressCountsLongConnectionsHourByHour checks that bytes reported
// while a long-lived connection runs land in the hour they flowed in, and that
// its end adds only what was not reported yet.
func TestFlowProgressCountsLongConnectionsHourByHour(t *testing.T) {
	e := detect.NewEngine(scenarioConfig(), nil)
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	f := &app.Flow{Transport: app.TCP, Start: t0,
		Client: netip.MustParseAddrPort("10.40.1.10:40000"), Server: netip.MustParseAddrPort("10.40.2.12:2575")}
	e.FlowStart(f)
	e.Message(&app.Message{App: "hl7", Type: "ORU^R01", Flow: f, TS: t0.Add(time.Minute)})

	e.FlowProgress(&detect.FlowRecord{Flow: f, Last: t0.Add(30 * time.Minute), Bytes: [2]uint64{5000, 700}})
	cur := e.CurrentHour().Seen["10.40.1.10"]
	assert.Equal(t, 5000.0, cur[bytesOutIndex(t)], "reported bytes count in the open hour")

	// Three hours later the connection ends, with 1,000 more bytes than reported.
	end := t0.Add(3*time.Hour + 10*time.Minute)
	e.FlowEnd(&detect.FlowRecord{Flow: f, Last: end, Packets: [2]uint64{40, 20},
		Bytes: [2]uint64{6000, 900}, Reported: [2]uint64{5000, 700}})
	cur = e.CurrentHour().Seen["10.40.1.10"]
	assert.Equal(t, 1000.0, cur[bytesOutIndex(t)], "only the unreported rest lands in the last hour")

	recent := e.RecentHours()["10.40.1.10"]
	require.NotEmpty(t, recent)
	assert.Equal(t, 5000.0, recent[0].Seen[bytesOutIndex(t)], "the first hour kept its bytes")
}

// bytesOutIndex finds the bytes-out metric by name, so the test does not
// depend on the metric order.
func bytesOutIndex(t *testing.T) int {
	for i, m := range detect.Metrics {
		if m == "bytes_out" {
			return i
		}
	}
	t.Fatalf("no bytes_out metric in %v", detect.Metrics)
	return 0
}
