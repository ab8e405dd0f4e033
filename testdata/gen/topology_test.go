package gen

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTopologyAddressesAreUnique(t *testing.T) {
	topo := newTopology(Options{Analyzers: maxAnalyzers}, newRNG(1))
	hosts := append([]*host{topo.lis, topo.engine, topo.dns}, topo.analyzers...)
	hosts = append(hosts, topo.printers...)
	hosts = append(hosts, topo.workstations...)
	v4 := map[netip.Addr]string{}
	v6 := map[netip.Addr]string{}
	macs := map[string]string{}
	lab := netip.MustParsePrefix("10.40.0.0/16")
	ula := netip.MustParsePrefix("fd00::/8")
	for _, h := range hosts {
		_, dup4 := v4[h.v4]
		_, dup6 := v6[h.v6]
		_, dupMAC := macs[h.mac.String()]
		require.False(t, dup4 || dup6 || dupMAC, "%s reuses an address of %s", h.name, v4[h.v4]+v6[h.v6]+macs[h.mac.String()])
		v4[h.v4], v6[h.v6], macs[h.mac.String()] = h.name, h.name, h.name
		assert.True(t, lab.Contains(h.v4), h.name)
		assert.True(t, ula.Contains(h.v6), h.name)
		assert.Equal(t, byte(0x02), h.mac[0]&0x03, "%s: locally administered unicast MAC", h.name)
		assert.Less(t, h.portLow, h.portHigh)
	}
	assert.False(t, lab.Contains(topo.outside.v4), "one host outside the trusted networks")
	assert.Equal(t, topo.routerMAC, topo.outside.mac, "outside traffic crosses the router")
}

func TestEphemeralPortsWrapInsideTheRange(t *testing.T) {
	h := &host{portLow: 49152, portHigh: 49155, nextPort: 49154}
	var got []uint16
	for range 4 {
		got = append(got, h.ephemeralPort())
	}
	assert.Equal(t, []uint16{49154, 49152, 49153, 49154}, got)
}
