package detect_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"labwatch/detect"
	"labwatch/protocols/app"
)

// TestSpoofedSourcesGiveWayAtTheDeviceCap: a flood of spoofed sources inside
// the trusted networks fills max_devices with models of addresses that never
// answered or spoke; a real device that shows up later still gets a model
// (the oldest unproven one gives way), and proven devices are never evicted.
func TestSpoofedSourcesGiveWayAtTheDeviceCap(t *testing.T) {
	cfg := detect.DefaultConfig()
	cfg.MaxDevices = 6
	e := detect.NewEngine(cfg, nil)
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	server := netip.MustParseAddrPort("10.40.0.5:2575")
	var id uint64
	flow := func(client netip.AddrPort, at time.Duration, c2s, s2c uint64) *app.Flow {
		id++
		f := &app.Flow{ID: id, Transport: app.TCP, Client: client, Server: server, Start: t0.Add(at)}
		e.FlowStart(f)
		e.FlowEnd(&detect.FlowRecord{Flow: f, Last: f.Start.Add(time.Second), Packets: [2]uint64{c2s, s2c}})
		return f
	}
	// The server answers (proven); a real client holds a conversation (proven).
	real := netip.MustParseAddrPort("10.40.1.7:40000")
	flow(real, 0, 10, 8)
	// Spoofed SYNs from 20 addresses: one packet each, answered by SYN-ACKs
	// that go nowhere.
	for i := range 20 {
		flow(netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 66, 0, byte(i + 1)}), 1234), time.Second, 1, 2)
	}
	// A device that appears after the flood and sends a message.
	late := netip.MustParseAddrPort("10.40.1.9:40001")
	f := flow(late, 2*time.Second, 1, 0)
	e.Message(&app.Message{App: "hl7", Type: "ORU^R01", Flow: f, Dir: app.ClientToServer, TS: f.Start})

	assert.True(t, e.ModelledForTest(server.Addr()))
	assert.True(t, e.ModelledForTest(real.Addr()))
	assert.True(t, e.ModelledForTest(late.Addr()), "the late real device got a model")
	snap := e.Snapshot()
	assert.Equal(t, uint64(17), snap.Dropped["devices_evicted_unproven"], "%v", snap.Dropped)
	assert.Zero(t, snap.Dropped["devices_over_cap"])
	// The inventory (servers and clients alike) makes room the same way.
	listed := map[string]bool{}
	for _, d := range snap.Devices {
		listed[d.IP] = true
	}
	for _, a := range []netip.AddrPort{server, real, late} {
		assert.True(t, listed[a.Addr().String()], "%v listed", a)
	}
	assert.Len(t, snap.Devices, cfg.MaxDevices)
	assert.NotZero(t, snap.DevicesEvicted)
	assert.Zero(t, snap.DevicesOverCap)

	// Once every model is proven, the cap refuses newcomers instead.
	for i := range 6 {
		c := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 40, 2, byte(i + 1)}), 5000)
		flow(c, 3*time.Second, 5, 5)
	}
	flow(netip.MustParseAddrPort("10.66.9.9:1"), 4*time.Second, 1, 1)
	snap = e.Snapshot()
	assert.NotZero(t, snap.Dropped["devices_over_cap"], "%v", snap.Dropped)
	for _, a := range []netip.AddrPort{server, real, late} {
		assert.True(t, e.ModelledForTest(a.Addr()), fmt.Sprint(a, " kept"))
	}
}
