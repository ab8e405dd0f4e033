package creds

import (
	"net/netip"
	"os"
	"testing"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// TestMain fixes the keyed-hash key so that golden files can hold user hashes.
func TestMain(m *testing.M) {
	app.SetHashKey([]byte("labwatch test key, not a secret"))
	os.Exit(m.Run())
}

var t0 = time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC)

func flowTo(port uint16) *app.Flow {
	return &app.Flow{ID: 1, Transport: app.TCP,
		Client: netip.MustParseAddrPort("10.40.1.22:51515"), Server: netip.AddrPortFrom(netip.MustParseAddr("10.40.1.5"), port)}
}

// step is one analyzer call: data, or a gap when gap is set.
type step struct {
	dir  app.Direction
	data string
	gap  int
}

var (
	c2s = app.ClientToServer
	s2c = app.ServerToClient
)

// play feeds steps to a new analyzer for a flow to port, each data step cut
// at the offsets cut returns (nil: whole), and expires the flow.
func play(port uint16, steps []step, cfg *Config, cut prototest.Cut) (*prototest.Recorder, *app.Flow) {
	rec := &prototest.Recorder{}
	flow := flowTo(port)
	a := NewAnalyzer(flow, rec, cfg)
	for _, s := range steps {
		if s.data == "" {
			a.Gap(s.dir, s.gap)
			continue
		}
		prototest.FeedCut([]byte(s.data), cut, func(b []byte) { a.Data(s.dir, b, t0) })
	}
	a.Expire()
	return rec, flow
}
