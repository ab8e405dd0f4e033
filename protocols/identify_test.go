package protocols

import (
	"bytes"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

// tape records what a chosen analyzer received.
type tape struct {
	name string
	data [2][]byte
	log  []string
}

func (t *tape) Data(dir app.Direction, b []byte, _ time.Time) {
	t.data[dir] = append(t.data[dir], b...)
	t.log = append(t.log, dir.String())
}
func (t *tape) Gap(app.Direction, int) {}
func (t *tape) End(app.Direction)      {}
func (t *tape) Expire()                {}

// prefixProbe matches streams starting with p; shorter input needs more.
func prefixProbe(p string) func([]byte) app.ProbeResult {
	return func(b []byte) app.ProbeResult {
		switch {
		case len(b) < len(p):
			if bytes.HasPrefix([]byte(p), b) {
				return app.NeedMore
			}
			return app.NoMatch
		case bytes.HasPrefix(b, []byte(p)):
			return app.Match
		}
		return app.NoMatch
	}
}

type testDispatcher struct {
	*Dispatcher
	made []*tape
}

func newTestDispatcher(probeBytes int) *testDispatcher {
	td := &testDispatcher{}
	mk := func(name string) func(*app.Flow, app.Emitter, *Config) app.Analyzer {
		return func(*app.Flow, app.Emitter, *Config) app.Analyzer {
			t := &tape{name: name}
			td.made = append(td.made, t)
			return t
		}
	}
	specs := []Spec{
		{Name: "alpha", Ports: []uint16{2575}, Probe: prefixProbe("ALPHA|"), New: mk("alpha")},
		{Name: "beta", Probe: prefixProbe("BETA:"), New: mk("beta")},
	}
	cfg := DefaultConfig()
	cfg.ProbeBytes = probeBytes
	td.Dispatcher = newDispatcher(cfg, nil, specs)
	return td
}

func flow(serverPort uint16) *app.Flow {
	return &app.Flow{Transport: app.TCP,
		Client: netip.MustParseAddrPort("10.0.0.1:40000"),
		Server: netip.AddrPortFrom(netip.MustParseAddr("10.0.0.2"), serverPort)}
}

var t0 = time.Unix(0, 0)

func TestIdentifyByContentOnAnyPort(t *testing.T) {
	d := newTestDispatcher(4096)
	a := d.NewStream(flow(6661))
	a.Data(app.ClientToServer, []byte("BE"), t0) // too short to tell
	assert.Empty(t, d.made)
	a.Data(app.ClientToServer, []byte("TA:hello"), t0)
	require.Len(t, d.made, 1)
	assert.Equal(t, "beta", d.made[0].name)
	a.Data(app.ServerToClient, []byte("ok"), t0)
	assert.Equal(t, "BETA:hello", string(d.made[0].data[app.ClientToServer]))
	assert.Equal(t, "ok", string(d.made[0].data[app.ServerToClient]))
	assert.Equal(t, uint64(1), d.Stats().Identified["beta"].Load())
}

func TestRegisteredPortGetsNonMatchingStream(t *testing.T) {
	d := newTestDispatcher(4096)
	a := d.NewStream(flow(2575))
	a.Data(app.ClientToServer, []byte("GARBAGE"), t0)
	require.Len(t, d.made, 1, "the port's analyzer gets the flow to report the violation")
	assert.Equal(t, "alpha", d.made[0].name)
	assert.Equal(t, "GARBAGE", string(d.made[0].data[app.ClientToServer]))
}

func TestUnknownStreamIsLeftAlone(t *testing.T) {
	d := newTestDispatcher(4096)
	a := d.NewStream(flow(7000))
	a.Data(app.ClientToServer, []byte("hello"), t0)
	a.Data(app.ServerToClient, []byte("world"), t0)
	assert.Empty(t, d.made)
	assert.Equal(t, uint64(1), d.Stats().Unidentified.Load())
	a.Data(app.ClientToServer, []byte("BETA:late"), t0)
	assert.Empty(t, d.made, "a flow given up stays given up")
}

func TestProbeBufferIsBounded(t *testing.T) {
	d := newTestDispatcher(8)
	a := d.NewStream(flow(7000))
	// Every probe keeps asking for more on a prefix of "ALPHA|"; past 8 bytes the
	// identifier stops buffering.
	a.Data(app.ClientToServer, []byte("ALPH"), t0)
	a.Data(app.ClientToServer, []byte("Xxxxxxxxxxxxxxxxxxxxxx"), t0)
	assert.Empty(t, d.made)
	assert.Equal(t, uint64(1), d.Stats().Unidentified.Load())
}

func TestReplayKeepsArrivalOrderOfDirections(t *testing.T) {
	d := newTestDispatcher(4096)
	a := d.NewStream(flow(7000))
	a.Data(app.ServerToClient, []byte("banner"), t0) // server speaks first: no match
	a.Data(app.ClientToServer, []byte("ALPHA|x"), t0)
	require.Len(t, d.made, 1)
	assert.Equal(t, []string{"s2c", "c2s"}, d.made[0].log)
}

func TestGapWhileUndecidedRestartsProbing(t *testing.T) {
	d := newTestDispatcher(4096)
	a := d.NewStream(flow(7000))
	a.Data(app.ClientToServer, []byte("BET"), t0)
	a.Gap(app.ClientToServer, 100)
	a.Data(app.ClientToServer, []byte("BETA:after the gap"), t0)
	require.Len(t, d.made, 1)
	assert.Equal(t, "BETA:after the gap", string(d.made[0].data[app.ClientToServer]))
}

func TestRegistryIsComplete(t *testing.T) {
	for _, s := range Registry() {
		assert.NotEmpty(t, s.Name)
		assert.True(t, s.New != nil || s.NewDatagram != nil, "%s has an analyzer", s.Name)
		if s.New != nil {
			assert.True(t, s.Probe != nil || len(s.Ports) > 0, "%s can be found", s.Name)
		}
	}
}

func TestUnclaimedFlowGoesToTheFallback(t *testing.T) {
	d := newTestDispatcher(4096)
	var got *tape
	d.other = func(*app.Flow, app.Emitter, *Config) app.Analyzer {
		got = &tape{name: "fallback"}
		return got
	}
	a := d.NewStream(flow(7000))
	a.Data(app.ClientToServer, []byte("hello"), t0)
	a.Data(app.ServerToClient, []byte("world"), t0)
	require.NotNil(t, got, "both directions rejected: the fallback takes the flow")
	a.Data(app.ClientToServer, []byte(" again"), t0)
	assert.Equal(t, "hello again", string(got.data[app.ClientToServer]))
	assert.Equal(t, "world", string(got.data[app.ServerToClient]))
	assert.Equal(t, uint64(1), d.Stats().Unidentified.Load())
}
