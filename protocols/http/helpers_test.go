package http

import (
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var t0 = time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC)

// TestMain fixes the keyed-hash key so that golden files can hold user hashes.
func TestMain(m *testing.M) {
	app.SetHashKey([]byte("labwatch test key, not a secret"))
	os.Exit(m.Run())
}

func newFlow() *app.Flow { return &app.Flow{ID: 1, Transport: app.TCP} }

// step is one analyzer call: data, a gap (data nil, gap set) or an end.
type step struct {
	dir  app.Direction
	data string
	gap  int  // with data "": Gap(dir, gap) when gap != 0
	end  bool // End(dir)
}

// play feeds steps to a new analyzer, each data step cut at the offsets cut
// returns (nil: whole), 10 ms apart, and expires the flow.
func play(steps []step, cfg *Config, cut prototest.Cut) *prototest.Recorder {
	rec := &prototest.Recorder{}
	a := NewAnalyzer(newFlow(), rec, cfg)
	ts := t0
	for _, s := range steps {
		ts = ts.Add(10 * time.Millisecond)
		switch {
		case s.end:
			a.End(s.dir)
		case s.data == "" && s.gap != 0:
			a.Gap(s.dir, s.gap)
		default:
			prototest.FeedCut([]byte(s.data), cut, func(b []byte) { a.Data(s.dir, b, ts) })
		}
	}
	a.Expire()
	return rec
}

// writePcap writes the data steps of a conversation as one TCP connection
// (client 10.40.1.22:51515, server 10.40.1.5:port), for tshark to read. Gaps
// are not represented; ends are FINs.
func writePcap(t testing.TB, path string, steps []step, port uint16) {
	t.Helper()
	c := prototest.NewTCPCapture(t, path, layers.LinkTypeEthernet, port, t0)
	defer c.Close()
	for _, s := range steps {
		if s.end {
			c.Fin(s.dir)
			continue
		}
		c.Send(s.dir, []byte(s.data))
	}
}
