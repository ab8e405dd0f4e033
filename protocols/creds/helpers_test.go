package creds

import (
	"maps"
	"net/netip"
	"os"
	"testing"
	"time"

	"labwatch/protocols/app"
)

// TestMain fixes the keyed-hash key so that golden files can hold user hashes.
func TestMain(m *testing.M) {
	app.SetHashKey([]byte("labwatch test key, not a secret"))
	os.Exit(m.Run())
}

// recorder is an app.Emitter keeping deep copies of what it gets.
type recorder struct {
	msgs  []app.Message
	anoms []app.Anomaly
}

func (r *recorder) Message(m *app.Message) {
	c := *m
	c.Attrs = maps.Clone(m.Attrs)
	c.Counts = maps.Clone(m.Counts)
	r.msgs = append(r.msgs, c)
}

func (r *recorder) Anomaly(a *app.Anomaly) { r.anoms = append(r.anoms, *a) }

func (r *recorder) reasons() []string {
	var out []string
	for _, a := range r.anoms {
		out = append(out, a.Reason)
	}
	return out
}

// nullEmitter counts and drops (benchmarks, allocation tests).
type nullEmitter struct{ msgs, anoms int }

func (n *nullEmitter) Message(*app.Message) { n.msgs++ }
func (n *nullEmitter) Anomaly(*app.Anomaly) { n.anoms++ }

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
func play(port uint16, steps []step, cfg *Config, cut func(n int) []int) (*recorder, *app.Flow) {
	rec := &recorder{}
	flow := flowTo(port)
	a := NewAnalyzer(flow, rec, cfg)
	for _, s := range steps {
		if s.data == "" {
			a.Gap(s.dir, s.gap)
			continue
		}
		data := []byte(s.data)
		prev := 0
		if cut != nil {
			for _, k := range cut(len(data)) {
				if k > prev && k < len(data) {
					a.Data(s.dir, data[prev:k], t0)
					prev = k
				}
			}
		}
		a.Data(s.dir, data[prev:], t0)
	}
	a.Expire()
	return rec, flow
}
