package dhcp

import (
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"labwatch/protocols/app"
)

var (
	t0       = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	testFlow = &app.Flow{ID: 1, Transport: app.UDP}
)

// exchange is one synthetic DHCP message of the lab conversation below.
type exchange struct {
	note string
	dir  app.Direction
	msg  *layers.DHCPv4
}

var (
	analyzerMAC = net.HardwareAddr{0x02, 0x4c, 0x57, 0x00, 0x02, 0x0b}
	printerMAC  = net.HardwareAddr{0x02, 0x4c, 0x57, 0x00, 0x03, 0x15}
	serverIP    = net.IP{10, 40, 0, 1}
)

func opt(t layers.DHCPOpt, data ...byte) layers.DHCPOption {
	return layers.NewDHCPOption(t, data)
}

func msgType(t layers.DHCPMsgType) layers.DHCPOption { return opt(layers.DHCPOptMessageType, byte(t)) }

// labExchanges is the generator of testdata/pcap/lab.pcap: an analyzer with an
// embedded Linux (udhcpc) getting a lease in four messages, a Zebra printer
// with a vendor class, an INFORM and a RELEASE from a Windows workstation, and
// a relayed plain BOOTP request. Messages are serialized by gopacket, an
// implementation independent of ours.
func labExchanges() []exchange {
	req := func(xid uint32, mac net.HardwareAddr, opts ...layers.DHCPOption) *layers.DHCPv4 {
		return &layers.DHCPv4{Operation: layers.DHCPOpRequest, HardwareType: layers.LinkTypeEthernet,
			HardwareLen: 6, Xid: xid, ClientHWAddr: mac, Options: opts}
	}
	reply := func(xid uint32, mac net.HardwareAddr, yi net.IP, opts ...layers.DHCPOption) *layers.DHCPv4 {
		m := req(xid, mac, opts...)
		m.Operation, m.YourClientIP, m.NextServerIP = layers.DHCPOpReply, yi, serverIP
		return m
	}
	udhcpPRL := opt(layers.DHCPOptParamsRequest, 1, 3, 6, 12, 15, 28, 42)
	winPRL := opt(layers.DHCPOptParamsRequest, 1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252)
	lease := []layers.DHCPOption{opt(layers.DHCPOptServerID, serverIP...), opt(layers.DHCPOptLeaseTime, 0, 1, 0x51, 0x80),
		opt(layers.DHCPOptSubnetMask, 255, 255, 0, 0), opt(layers.DHCPOptRouter, serverIP...)}
	bootp := req(0x0b00770, analyzerMAC)
	bootp.RelayHops, bootp.RelayAgentIP = 1, net.IP{10, 40, 2, 1}
	ws := net.HardwareAddr{0x02, 0x4c, 0x57, 0x00, 0x04, 0x1f}
	return []exchange{
		{"analyzer discover", app.ClientToServer, req(0x5a17c0de, analyzerMAC, msgType(layers.DHCPMsgTypeDiscover),
			opt(layers.DHCPOptHostname, []byte("XN1000-LAB2")...), opt(layers.DHCPOptClassID, []byte("udhcp 1.30.1")...), udhcpPRL)},
		{"offer", app.ServerToClient, reply(0x5a17c0de, analyzerMAC, net.IP{10, 40, 2, 11}, append([]layers.DHCPOption{msgType(layers.DHCPMsgTypeOffer)}, lease...)...)},
		{"analyzer request", app.ClientToServer, req(0x5a17c0de, analyzerMAC, msgType(layers.DHCPMsgTypeRequest),
			opt(layers.DHCPOptRequestIP, 10, 40, 2, 11), opt(layers.DHCPOptServerID, serverIP...),
			opt(layers.DHCPOptHostname, []byte("XN1000-LAB2")...), opt(layers.DHCPOptClassID, []byte("udhcp 1.30.1")...), udhcpPRL)},
		{"ack", app.ServerToClient, reply(0x5a17c0de, analyzerMAC, net.IP{10, 40, 2, 11}, append([]layers.DHCPOption{msgType(layers.DHCPMsgTypeAck)}, lease...)...)},
		{"printer discover", app.ClientToServer, req(0x00c0ffee, printerMAC, msgType(layers.DHCPMsgTypeDiscover),
			opt(layers.DHCPOptHostname, []byte("ZEBRA-PHLEB1")...), opt(layers.DHCPOptClassID, []byte("Zebra Technologies ZT410")...),
			opt(layers.DHCPOptParamsRequest, 1, 3, 6, 12, 15, 44, 51))},
		{"workstation inform", app.ClientToServer, req(0x1e2d3c4b, ws, msgType(layers.DHCPMsgTypeInform),
			opt(layers.DHCPOptHostname, []byte("PHLEB-WS33")...), opt(layers.DHCPOptClassID, []byte("MSFT 5.0")...),
			opt(81, 0x00, 0x00, 0x00, 'p', 'h', 'l', 'e', 'b', '-', 'w', 's', '3', '3', '.', 'l', 'a', 'b'), winPRL)},
		{"workstation release", app.ClientToServer, req(0x1e2d3c4c, ws, msgType(layers.DHCPMsgTypeRelease), opt(layers.DHCPOptServerID, serverIP...))},
		{"relayed BOOTP", app.ClientToServer, bootp},
	}
}

// serialize writes one message with gopacket.
func serialize(t testing.TB, m *layers.DHCPv4) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := m.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}
