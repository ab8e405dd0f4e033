package http

import (
	"maps"
	"net"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"labwatch/protocols/app"
)

// recorder is an app.Emitter keeping deep copies of what it gets.
type recorder struct {
	msgs  []app.Message
	anoms []app.Anomaly
}

func (r *recorder) Message(m *app.Message) {
	c := *m
	c.Attrs = maps.Clone(m.Attrs)
	c.Counts = maps.Clone(m.Counts)
	c.PHIFields = append([]string(nil), m.PHIFields...)
	if len(c.PHIFields) == 0 {
		c.PHIFields = nil
	}
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

func (r *recorder) types() []string {
	var out []string
	for _, m := range r.msgs {
		out = append(out, m.Type)
	}
	return out
}

// nullEmitter counts and drops (benchmarks, allocation tests).
type nullEmitter struct{ msgs, anoms int }

func (n *nullEmitter) Message(*app.Message) { n.msgs++ }
func (n *nullEmitter) Anomaly(*app.Anomaly) { n.anoms++ }

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
func play(steps []step, cfg *Config, cut func(n int) []int) *recorder {
	rec := &recorder{}
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
			data := []byte(s.data)
			prev := 0
			if cut != nil {
				for _, k := range cut(len(data)) {
					if k > prev && k < len(data) {
						a.Data(s.dir, data[prev:k], ts)
						prev = k
					}
				}
			}
			a.Data(s.dir, data[prev:], ts)
		}
	}
	a.Expire()
	return rec
}

// writePcap writes the data steps of a conversation as one TCP connection
// (client 10.40.1.22:51515, server 10.40.1.5:port), for tshark to read. Gaps
// and ends are not represented.
func writePcap(t testing.TB, path string, steps []step, port uint16) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	client, server := net.IPv4(10, 40, 1, 22), net.IPv4(10, 40, 1, 5)
	seq := [2]uint32{1000, 5000}
	ts := t0
	write := func(dir app.Direction, flags func(*layers.TCP), payload []byte) {
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: client, DstIP: server}
		tcp := &layers.TCP{SrcPort: 51515, DstPort: layers.TCPPort(port), Seq: seq[dir], Ack: seq[dir^1], Window: 65535, ACK: true}
		if dir == app.ServerToClient {
			ip.SrcIP, ip.DstIP = server, client
			tcp.SrcPort, tcp.DstPort = tcp.DstPort, tcp.SrcPort
		}
		flags(tcp)
		_ = tcp.SetNetworkLayerForChecksum(ip)
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
		buf := gopacket.NewSerializeBuffer()
		opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
		if err := gopacket.SerializeLayers(buf, opts, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
			t.Fatal(err)
		}
		ts = ts.Add(time.Millisecond)
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}, buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		seq[dir] += uint32(len(payload))
	}
	write(app.ClientToServer, func(tc *layers.TCP) { tc.SYN, tc.ACK = true, false }, nil)
	seq[0]++
	write(app.ServerToClient, func(tc *layers.TCP) { tc.SYN = true }, nil)
	seq[1]++
	for _, s := range steps {
		if s.end {
			write(s.dir, func(tc *layers.TCP) { tc.FIN = true }, nil)
			seq[s.dir]++
			continue
		}
		if s.data == "" {
			continue
		}
		for p := []byte(s.data); len(p) > 0; {
			n := min(len(p), 1400)
			write(s.dir, func(*layers.TCP) {}, p[:n])
			p = p[n:]
		}
	}
}
