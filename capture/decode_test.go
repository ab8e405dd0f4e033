package capture

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// l3 builds an IPv4 (or IPv6) + TCP packet without a link layer.
func l3(t *testing.T, v6 bool) []byte {
	var ip gopacket.NetworkLayer
	tcp := &layers.TCP{SrcPort: 51515, DstPort: 2575, Seq: 1, ACK: true, Window: 100}
	if v6 {
		ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP,
			SrcIP: net.ParseIP("fd00::22"), DstIP: net.ParseIP("fd00::5")}
		ip = ip6
	} else {
		ip = &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP,
			SrcIP: net.IPv4(10, 40, 1, 22), DstIP: net.IPv4(10, 40, 0, 5)}
	}
	require.NoError(t, tcp.SetNetworkLayerForChecksum(ip))
	buf := gopacket.NewSerializeBuffer()
	require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		ip.(gopacket.SerializableLayer), tcp, gopacket.Payload("MSH|")))
	return buf.Bytes()
}

func prepend(t *testing.T, inner []byte, outer ...gopacket.SerializableLayer) []byte {
	buf := gopacket.NewSerializeBuffer()
	require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true},
		append(outer, gopacket.Payload(inner))...))
	return append([]byte(nil), buf.Bytes()...)
}

func TestDecodeLinkTypes(t *testing.T) {
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	v4, v6 := l3(t, false), l3(t, true)
	sll2 := func(proto layers.EthernetType, inner []byte) []byte {
		// SLL2 header: protocol(2) reserved(2) ifindex(4) hatype(2) pkttype(1) halen(1) addr(8)
		h := []byte{byte(proto >> 8), byte(proto), 0, 0, 0, 0, 0, 3, 0, 1, 0, 6}
		h = append(h, mac...)
		h = append(h, 0, 0)
		return append(h, inner...)
	}
	sll := func(inner []byte) []byte {
		// SLL header: packet type(2) hatype(2) halen(2) addr(8) protocol(2)
		h := []byte{0, 0, 0, 1, 0, 6}
		h = append(h, mac...)
		h = append(h, 0, 0, 0x08, 0x00)
		return append(h, inner...)
	}
	cases := []struct {
		name  string
		link  layers.LinkType
		data  []byte
		vlans int
		ipv   int
		mac   bool
	}{
		{"ethernet", layers.LinkTypeEthernet, prepend(t, v4, &layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeIPv4}), 0, 4, true},
		{"802.1Q", layers.LinkTypeEthernet, prepend(t, v4,
			&layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{VLANIdentifier: 40, Type: layers.EthernetTypeIPv4}), 1, 4, true},
		{"QinQ 802.1ad", layers.LinkTypeEthernet, prepend(t, v4,
			&layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeQinQ},
			&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{VLANIdentifier: 40, Type: layers.EthernetTypeIPv4}), 2, 4, true},
		{"ethernet IPv6", layers.LinkTypeEthernet, prepend(t, v6, &layers.Ethernet{SrcMAC: mac, DstMAC: mac, EthernetType: layers.EthernetTypeIPv6}), 0, 6, true},
		{"linux SLL", layers.LinkTypeLinuxSLL, sll(v4), 0, 4, true},
		{"linux SLL2", layers.LinkTypeLinuxSLL2, sll2(layers.EthernetTypeIPv4, v4), 0, 4, true},
		{"raw IPv4", layers.LinkTypeRaw, v4, 0, 4, false},
		{"raw IPv6", layers.LinkTypeRaw, v6, 0, 6, false},
		{"DLT_IPV4", layers.LinkTypeIPv4, v4, 0, 4, false},
		{"null loopback", layers.LinkTypeNull, append([]byte{2, 0, 0, 0}, v4...), 0, 4, false},
	}
	dec := NewDecoder()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d Decoded
			require.Equal(t, "", dec.Decode(c.data, c.link, &d))
			assert.Equal(t, c.ipv, d.IPVersion)
			assert.Equal(t, c.vlans, d.VLANs)
			assert.Equal(t, c.mac, d.HasMAC)
			assert.Equal(t, uint8(6), d.Transport)
			assert.Equal(t, uint16(51515), d.SrcPort)
			assert.Equal(t, uint16(2575), d.DstPort)
			assert.Equal(t, "MSH|", string(d.Payload))
		})
	}
}

func TestDecodeBadInputCountedByReason(t *testing.T) {
	dec := NewDecoder()
	var d Decoded
	assert.Equal(t, reasonUnknownLink, dec.Decode([]byte{1, 2, 3}, layers.LinkType(147), &d))
	assert.Equal(t, reasonMalformed, dec.Decode([]byte{1, 2, 3}, layers.LinkTypeEthernet, &d))
	arp := prepend(t, make([]byte, 28), &layers.Ethernet{SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6), EthernetType: layers.EthernetTypeARP})
	assert.Equal(t, reasonNotIP, dec.Decode(arp, layers.LinkTypeEthernet, &d))
	// Truncated TCP header.
	v4 := l3(t, false)
	assert.Equal(t, reasonMalformed, dec.Decode(v4[:24], layers.LinkTypeRaw, &d))
	assert.Equal(t, reasonMalformed, dec.Decode(nil, layers.LinkTypeRaw, &d))
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0x45, 0, 0, 20}, uint16(layers.LinkTypeRaw))
	f.Add(make([]byte, 64), uint16(layers.LinkTypeEthernet))
	f.Fuzz(func(t *testing.T, data []byte, link uint16) {
		dec := NewDecoder()
		var d Decoded
		_ = dec.Decode(data, layers.LinkType(link), &d)
	})
}
