package dhcp

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

const (
	labPcap   = "testdata/pcap/lab.pcap"
	labGolden = "testdata/golden/lab.json"
)

// writeLabPcap writes labExchanges as Ethernet/IPv4/UDP 68→67 (and back) frames.
func writeLabPcap(t *testing.T, path string) {
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	w := pcapgo.NewWriter(f)
	require.NoError(t, w.WriteFileHeader(65535, layers.LinkTypeEthernet))
	for i, e := range labExchanges() {
		eth := &layers.Ethernet{SrcMAC: e.msg.ClientHWAddr, DstMAC: layers.EthernetBroadcast, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IPv4zero, DstIP: net.IPv4bcast}
		udp := &layers.UDP{SrcPort: 68, DstPort: 67}
		if e.dir == app.ServerToClient {
			eth.SrcMAC = net.HardwareAddr{0x02, 0x4c, 0x57, 0, 0, 1}
			ip.SrcIP, udp.SrcPort, udp.DstPort = serverIP, 67, 68
		}
		require.NoError(t, udp.SetNetworkLayerForChecksum(ip))
		buf := gopacket.NewSerializeBuffer()
		require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, udp, gopacket.Payload(serialize(t, e.msg))))
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}
		require.NoError(t, w.WritePacket(ci, buf.Bytes()))
	}
}

// readLab returns the UDP payloads and directions of lab.pcap.
func readLab(t *testing.T) ([][]byte, []app.Direction) {
	f, err := os.Open(labPcap)
	require.NoError(t, err)
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	require.NoError(t, err)
	var out [][]byte
	var dirs []app.Direction
	for {
		data, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		p := gopacket.NewPacket(data, layers.LinkTypeEthernet, gopacket.Default)
		u := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
		d := app.ClientToServer
		if u.SrcPort == 67 {
			d = app.ServerToClient
		}
		out, dirs = append(out, u.Payload), append(dirs, d)
	}
	return out, dirs
}

type goldenMessage struct {
	Type   string            `json:"type"`
	Device string            `json:"device,omitempty"`
	Attrs  map[string]string `json:"attrs"`
	Counts map[string]int    `json:"counts"`
	Bytes  int               `json:"bytes"`
}

func TestGolden(t *testing.T) {
	if *prototest.Update {
		writeLabPcap(t, labPcap)
	}
	payloads, dirs := readLab(t)
	r := &prototest.Recorder{}
	a := NewDatagramAnalyzer(testFlow, r, nil)
	for i, p := range payloads {
		a.Datagram(dirs[i], p, t0)
	}
	assert.Empty(t, r.Anoms)
	var got []goldenMessage
	for _, m := range r.Msgs {
		got = append(got, goldenMessage{m.Type, m.Device, m.Attrs, m.Counts, m.Bytes})
	}
	assert.Equal(t, prototest.Golden(t, labGolden, got), got)
}

// TestAgreesWithTshark compares our reading of lab.pcap with tshark's dissector.
func TestAgreesWithTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed")
	}
	path, _ := filepath.Abs(labPcap)
	out, err := exec.Command("tshark", "-r", path, "-T", "fields", "-E", "separator=/t", "-E", "aggregator=,",
		"-e", "dhcp.id", "-e", "dhcp.option.dhcp", "-e", "dhcp.option.hostname", "-e", "dhcp.option.vendor_class_id",
		"-e", "dhcp.option.request_list_item", "-e", "dhcp.hw.mac_addr").Output()
	require.NoError(t, err)
	payloads, dirs := readLab(t)
	r := &prototest.Recorder{}
	a := NewDatagramAnalyzer(testFlow, r, nil)
	for i, p := range payloads {
		a.Datagram(dirs[i], p, t0)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	require.Len(t, r.Msgs, len(lines))
	types := map[string]string{"1": "DISCOVER", "2": "OFFER", "3": "REQUEST", "5": "ACK", "7": "RELEASE", "8": "INFORM", "": "BOOTREQUEST"}
	for i, ln := range lines {
		f := strings.Split(ln, "\t")
		require.Len(t, f, 6, ln)
		m := r.Msgs[i]
		assert.Equal(t, f[0], fmt.Sprintf("0x%08x", parseHex(t, m.ControlID)))
		assert.Equal(t, types[f[1]], m.Type)
		assert.Equal(t, f[2], m.Attrs["hostname"])
		assert.Equal(t, f[3], m.Attrs["vendor_class"])
		assert.Equal(t, f[4], m.Attrs["prl"])
		assert.Equal(t, f[5], m.Attrs["client_mac"])
	}
}

func parseHex(t *testing.T, s string) uint32 {
	var v uint32
	_, err := fmt.Sscanf(s, "%x", &v)
	require.NoError(t, err)
	return v
}
