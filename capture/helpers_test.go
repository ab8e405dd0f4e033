package capture

import (
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

// recorder is a Handler whose analyzers record everything delivered to them.
type recorder struct {
	streams map[uint64]*recordedStream
	order   []uint64
	ended   map[uint64]EndReason
	panicOn string // a Data payload that makes the analyzer panic
	port    uint16 // when set, only flows to this server port are recorded
}

type recordedStream struct {
	flow    *Flow
	data    [2][]byte
	gaps    [2]int
	ends    [2]int
	expired int
	udp     [2][][]byte
}

func newRecorder() *recorder {
	return &recorder{streams: map[uint64]*recordedStream{}, ended: map[uint64]EndReason{}}
}

func (r *recorder) FlowStart(f *Flow) (app.Analyzer, app.DatagramAnalyzer) {
	if r.port != 0 && f.Server.Port() != r.port {
		return nopAnalyzer{}, nil
	}
	s := &recordedStream{flow: f}
	r.streams[f.ID] = s
	r.order = append(r.order, f.ID)
	a := &recordingAnalyzer{s: s, panicOn: r.panicOn}
	if f.Transport == app.UDP {
		return nil, a
	}
	return a, nil
}

func (r *recorder) FlowEnd(f *Flow, reason EndReason) {
	if _, ok := r.streams[f.ID]; ok {
		r.ended[f.ID] = reason
	}
}

// only returns the single recorded stream, failing if there is not exactly one.
func (r *recorder) only(t *testing.T) *recordedStream {
	t.Helper()
	require.Len(t, r.streams, 1)
	return r.streams[r.order[0]]
}

type recordingAnalyzer struct {
	s       *recordedStream
	panicOn string
}

func (a *recordingAnalyzer) Data(dir app.Direction, data []byte, _ time.Time) {
	if a.panicOn != "" && string(data) == a.panicOn {
		panic("analyzer bug")
	}
	a.s.data[dir] = append(a.s.data[dir], data...)
}
func (a *recordingAnalyzer) Gap(dir app.Direction, n int) { a.s.gaps[dir] += n }
func (a *recordingAnalyzer) End(dir app.Direction)        { a.s.ends[dir]++ }
func (a *recordingAnalyzer) Expire()                      { a.s.expired++ }
func (a *recordingAnalyzer) Datagram(dir app.Direction, p []byte, _ time.Time) {
	a.s.udp[dir] = append(a.s.udp[dir], append([]byte(nil), p...))
}

// wire builds packets for tests. Addresses: client 10.40.1.22:51515, server
// 10.40.0.5:2575 unless changed.
type wire struct {
	t          *testing.T
	clock      time.Time
	cli, srv   net.IP
	cport      uint16
	sport      uint16
	cseq, sseq uint32
	vlans      []uint16 // outer first
	qinq       bool     // outer tag uses the 802.1ad ethertype
}

func newWire(t *testing.T) *wire {
	return &wire{
		t: t, clock: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC),
		cli: net.IPv4(10, 40, 1, 22).To4(), srv: net.IPv4(10, 40, 0, 5).To4(),
		cport: 51515, sport: 2575, cseq: 1000, sseq: 50000,
	}
}

// seg is one TCP segment from the client (c2s) or the server.
type seg struct {
	c2s           bool
	syn, ack, fin bool
	rst           bool
	seq           uint32
	payload       []byte
	at            time.Duration // offset from the wire's start clock
}

// tcp serialises one segment as an Ethernet frame and returns it with its capture info.
func (w *wire) tcp(s seg) ([]byte, gopacket.CaptureInfo) {
	src, dst := w.cli, w.srv
	sp, dp := w.cport, w.sport
	if !s.c2s {
		src, dst, sp, dp = dst, src, dp, sp
	}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: src, DstIP: dst}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: s.seq,
		SYN: s.syn, ACK: s.ack, FIN: s.fin, RST: s.rst, Window: 65535}
	if s.ack {
		tcp.Ack = 1
	}
	require.NoError(w.t, tcp.SetNetworkLayerForChecksum(ip))
	return w.frame(ip, tcp, gopacket.Payload(s.payload), s.at)
}

func (w *wire) frame(ip gopacket.SerializableLayer, l4 gopacket.SerializableLayer, payload gopacket.Payload, at time.Duration) ([]byte, gopacket.CaptureInfo) {
	etherType := layers.EthernetTypeIPv4
	if _, v6 := ip.(*layers.IPv6); v6 {
		etherType = layers.EthernetTypeIPv6
	}
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: etherType}
	stack := []gopacket.SerializableLayer{eth}
	for i, id := range w.vlans {
		next := etherType
		if i+1 < len(w.vlans) {
			next = layers.EthernetTypeDot1Q
		}
		if i == 0 {
			eth.EthernetType = layers.EthernetTypeDot1Q
			if w.qinq && len(w.vlans) > 1 {
				eth.EthernetType = layers.EthernetTypeQinQ
			}
		}
		stack = append(stack, &layers.Dot1Q{VLANIdentifier: id, Type: next})
	}
	stack = append(stack, ip, l4, payload)
	buf := gopacket.NewSerializeBuffer()
	require.NoError(w.t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, stack...))
	data := append([]byte(nil), buf.Bytes()...)
	return data, gopacket.CaptureInfo{Timestamp: w.clock.Add(at), CaptureLength: len(data), Length: len(data)}
}

// handshake returns SYN, SYN-ACK, ACK and advances sequence numbers.
func (w *wire) handshake() []seg {
	out := []seg{
		{c2s: true, syn: true, seq: w.cseq},
		{c2s: false, syn: true, ack: true, seq: w.sseq, at: time.Millisecond},
		{c2s: true, ack: true, seq: w.cseq + 1, at: 2 * time.Millisecond},
	}
	w.cseq++
	w.sseq++
	return out
}

// data returns segments carrying payload in chunks of size mss from one side.
func (w *wire) data(c2s bool, payload []byte, mss int, at time.Duration) []seg {
	var out []seg
	seqp := &w.sseq
	if c2s {
		seqp = &w.cseq
	}
	for len(payload) > 0 {
		n := min(mss, len(payload))
		out = append(out, seg{c2s: c2s, ack: true, seq: *seqp, payload: payload[:n], at: at})
		*seqp += uint32(n)
		payload = payload[n:]
		at += time.Millisecond
	}
	return out
}

// feed sends segments through the engine in the given order.
func (w *wire) feed(e *Engine, segs []seg) {
	for _, s := range segs {
		data, ci := w.tcp(s)
		e.Packet(data, ci, layers.LinkTypeEthernet)
	}
}

// pattern returns n bytes that differ at every offset, so misordering shows.
func pattern(n int, salt byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7+i/251) ^ salt
	}
	return b
}
