package sensor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/capture"
	"labwatch/capture/pcapfile"
	"labwatch/output"
	"labwatch/testdata/gen"
)

// TestLanesGiveTheSameCounts feeds the demo to the lanes of a fanout sensor
// the way AF_PACKET does (flows hashed to lanes, fragments reassembled first),
// one goroutine per lane: counts, messages and alerts by type equal those of
// one worker.
func TestLanesGiveTheSameCounts(t *testing.T) {
	path, _ := generate(t, gen.Demo(), "lanes.pcapng")
	one := replay(t, DefaultConfig(), path)
	for _, n := range []int{1, 3} {
		got := replayLanes(t, n, path)
		assert.Equal(t, one.Flows, got.Flows, "%d lanes", n)
		assert.Equal(t, one.Devices, got.Devices)
		assert.Equal(t, one.Messages, got.Messages, "%d lanes", n)
		assert.Equal(t, one.ParseErrors, got.ParseErrors)
		assert.Equal(t, one.Alerts, got.Alerts, "%d lanes", n)
		assert.Equal(t, one.TCP, got.TCP)
	}
}

func replayLanes(t *testing.T, n int, path string) *output.Summary {
	cfg := DefaultConfig()
	cfg.Workers, cfg.Fanout = n, true
	s, err := New(cfg, nil)
	require.NoError(t, err)
	lanes := s.Lanes()
	require.Len(t, lanes, n)

	// The kernel's part: route, then one channel per lane.
	feeds := make([]chan pcapfile.Packet, len(lanes))
	done := make(chan struct{})
	for i, l := range lanes {
		feeds[i] = make(chan pcapfile.Packet, 64)
		go func() {
			for p := range feeds[i] {
				l.Packet(&p)
			}
			done <- struct{}{}
		}()
	}
	r := mustOpen(t, path)
	defer r.Close()
	sharder := capture.NewSharder(len(lanes), cfg.Capture.Defrag)
	r.Each(func(p *pcapfile.Packet) {
		if w, data, ci, ok := sharder.Route(p.Data, p.CI, p.LinkType); ok {
			feeds[w] <- pcapfile.Packet{Data: append([]byte(nil), data...), CI: ci, LinkType: p.LinkType}
		}
	})
	for _, f := range feeds {
		close(f)
	}
	for range lanes {
		<-done
	}
	require.NoError(t, s.Close())
	return s.Summary()
}
