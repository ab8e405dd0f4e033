package dns

import (
	"net"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"labwatch/protocols/app"
)

var (
	t0       = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	testFlow = &app.Flow{ID: 1, Transport: app.UDP}
)

// build serializes a message with gopacket's DNS layer, an implementation
// independent of ours.
func build(t testing.TB, m *layers.DNS) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := m.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

func question(name string, typ layers.DNSType) []layers.DNSQuestion {
	return []layers.DNSQuestion{{Name: []byte(name), Type: typ, Class: layers.DNSClassIN}}
}

func query(t testing.TB, id uint16, name string, typ layers.DNSType) []byte {
	return build(t, &layers.DNS{ID: id, RD: true, Questions: question(name, typ)})
}

func answerA(t testing.TB, id uint16, name string, ips ...string) []byte {
	m := &layers.DNS{ID: id, QR: true, RD: true, RA: true, Questions: question(name, layers.DNSTypeA)}
	for _, ip := range ips {
		m.Answers = append(m.Answers, layers.DNSResourceRecord{Name: []byte(name), Type: layers.DNSTypeA,
			Class: layers.DNSClassIN, TTL: 60, IP: net.ParseIP(ip)})
	}
	if len(ips) == 0 {
		m.ResponseCode = layers.DNSResponseCodeNXDomain
	}
	return build(t, m)
}

// datagram is one UDP payload read from a capture.
type datagram struct {
	dir     app.Direction
	payload []byte
	ts      time.Time
	client  uint16 // the client's port: one analyzer per conversation
}

// udpPayloads reads a pcapng file and returns, in order, the payloads of UDP
// datagrams to or from port, with the direction relative to port (the server)
// and the capture time; nil when the file is absent.
func udpPayloads(t testing.TB, path string, port uint16) []datagram {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	var out []datagram
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		p := gopacket.NewPacket(data, r.LinkType(), gopacket.NoCopy)
		u, _ := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if u == nil || (u.SrcPort != layers.UDPPort(port) && u.DstPort != layers.UDPPort(port)) {
			continue
		}
		d, client := app.ClientToServer, uint16(u.SrcPort)
		if u.SrcPort == layers.UDPPort(port) {
			d, client = app.ServerToClient, uint16(u.DstPort)
		}
		out = append(out, datagram{d, append([]byte(nil), u.Payload...), ci.Timestamp, client})
	}
	return out
}
