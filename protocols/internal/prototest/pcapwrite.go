package prototest

import (
	"net"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

// maxSegment is the most payload one written TCP segment carries.
const maxSegment = 1400

// TCPCapture writes one TCP connection to a pcap file for tshark to read:
// client 10.40.1.22:51515, server 10.40.1.5:port, packets 1 ms apart. With
// link type Ethernet each IPv4 packet gets a frame; with RAW it stands alone.
type TCPCapture struct {
	t    testing.TB
	f    *os.File
	w    *pcapgo.Writer
	link layers.LinkType
	ips  [2]net.IP
	port [2]layers.TCPPort
	seq  [2]uint32
	ts   time.Time
}

// NewTCPCapture creates the file at path and writes the SYN and SYN/ACK. The
// caller closes it.
func NewTCPCapture(t testing.TB, path string, link layers.LinkType, port uint16, start time.Time) *TCPCapture {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	c := &TCPCapture{t: t, f: f, w: pcapgo.NewWriter(f), link: link,
		ips:  [2]net.IP{net.IPv4(10, 40, 1, 22), net.IPv4(10, 40, 1, 5)},
		port: [2]layers.TCPPort{51515, layers.TCPPort(port)}, seq: [2]uint32{1000, 5000}, ts: start}
	require.NoError(t, c.w.WriteFileHeader(65535, link))
	c.packet(app.ClientToServer, func(tc *layers.TCP) { tc.SYN, tc.ACK = true, false }, nil)
	c.seq[app.ClientToServer]++
	c.packet(app.ServerToClient, func(tc *layers.TCP) { tc.SYN = true }, nil)
	c.seq[app.ServerToClient]++
	return c
}

// Send writes payload from dir in segments of at most maxSegment bytes.
func (c *TCPCapture) Send(dir app.Direction, payload []byte) {
	for len(payload) > 0 {
		n := min(len(payload), maxSegment)
		c.packet(dir, func(*layers.TCP) {}, payload[:n])
		payload = payload[n:]
	}
}

// Fin writes dir's FIN.
func (c *TCPCapture) Fin(dir app.Direction) {
	c.packet(dir, func(tc *layers.TCP) { tc.FIN = true }, nil)
	c.seq[dir]++
}

// Close closes the file.
func (c *TCPCapture) Close() { require.NoError(c.t, c.f.Close()) }

// packet writes one segment from dir acknowledging all the peer sent, with
// the flags set changes on top of ACK.
func (c *TCPCapture) packet(dir app.Direction, set func(*layers.TCP), payload []byte) {
	t := c.t
	t.Helper()
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: c.ips[dir], DstIP: c.ips[dir^1]}
	tcp := &layers.TCP{SrcPort: c.port[dir], DstPort: c.port[dir^1], Seq: c.seq[dir], Ack: c.seq[dir^1], Window: 65535, ACK: true}
	set(tcp)
	require.NoError(t, tcp.SetNetworkLayerForChecksum(ip))
	stack := []gopacket.SerializableLayer{ip, tcp, gopacket.Payload(payload)}
	if c.link == layers.LinkTypeEthernet {
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
		stack = append([]gopacket.SerializableLayer{eth}, stack...)
	}
	buf := gopacket.NewSerializeBuffer()
	require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, stack...))
	c.ts = c.ts.Add(time.Millisecond)
	b := buf.Bytes()
	require.NoError(t, c.w.WritePacket(gopacket.CaptureInfo{Timestamp: c.ts, CaptureLength: len(b), Length: len(b)}, b))
	c.seq[dir] += uint32(len(payload))
}
