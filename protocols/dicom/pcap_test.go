package dicom

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
	"labwatch/protocols/internal/prototest"
)

// writePcap writes a conversation as one TCP connection 10.40.2.15:50123 →
// 10.40.2.20:104 (handshake, segments of at most 1460 bytes, FIN), so that
// tshark can dissect what the analyzer reads.
func writePcap(t testing.TB, path string, c conversation) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	w := pcapgo.NewWriter(f)
	require.NoError(t, w.WriteFileHeader(65535, layers.LinkTypeEthernet))
	hosts := [2]net.IP{{10, 40, 2, 15}, {10, 40, 2, 20}}
	ports := [2]layers.TCPPort{50123, 104}
	macs := [2]net.HardwareAddr{{0, 0x1b, 0x21, 1, 2, 3}, {0, 0x1b, 0x21, 4, 5, 6}}
	seq := [2]uint32{1000, 5000}
	ts := t0
	send := func(d app.Direction, payload []byte, syn, ack, fin bool) {
		from, to := int(d), int(d.Reverse())
		eth := &layers.Ethernet{SrcMAC: macs[from], DstMAC: macs[to], EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: hosts[from], DstIP: hosts[to]}
		tcp := &layers.TCP{SrcPort: ports[from], DstPort: ports[to], Seq: seq[from], SYN: syn, ACK: ack, FIN: fin, PSH: len(payload) > 0, Window: 65535}
		if ack {
			tcp.Ack = seq[to]
		}
		require.NoError(t, tcp.SetNetworkLayerForChecksum(ip))
		buf := gopacket.NewSerializeBuffer()
		opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
		require.NoError(t, gopacket.SerializeLayers(buf, opts, eth, ip, tcp, gopacket.Payload(payload)))
		ts = ts.Add(time.Millisecond)
		require.NoError(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}, buf.Bytes()))
		seq[from] += uint32(len(payload))
		if syn || fin {
			seq[from]++
		}
	}
	send(c2s, nil, true, false, false)
	send(s2c, nil, true, true, false)
	send(c2s, nil, false, true, false)
	for _, ch := range c.chunks {
		for b := ch.data; len(b) > 0; {
			n := min(len(b), 1460)
			send(ch.dir, b[:n], false, true, false)
			b = b[n:]
		}
	}
	send(c2s, nil, false, true, true)
	send(s2c, nil, false, true, true)
}

// segment is the payload of one captured TCP packet.
type segment struct {
	dir     app.Direction
	seq     uint32
	syn     bool
	payload []byte
	ts      time.Time
}

// capture is what pcapgo's pcap and pcapng readers share.
type capture interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	LinkType() layers.LinkType
}

// openCapture opens a pcap file, or a pcapng one (the tapirx captures).
func openCapture(t testing.TB, f *os.File) capture {
	if r, err := pcapgo.NewReader(f); err == nil {
		return r
	}
	_, err := f.Seek(0, 0)
	require.NoError(t, err)
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	require.NoError(t, err)
	return r
}

// readPcap reads the TCP segments of the first connection in a capture. The
// client is the sender of the first SYN, or of the first packet.
func readPcap(t testing.TB, path string) []segment {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r := openCapture(t, f)
	var out []segment
	var client layers.TCPPort
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		p := gopacket.NewPacket(data, r.LinkType(), gopacket.Default)
		tl, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if !ok {
			continue
		}
		if client == 0 {
			client = tl.SrcPort
			if tl.SYN && tl.ACK {
				client = tl.DstPort
			}
		}
		d := c2s
		if tl.SrcPort != client {
			d = s2c
		}
		out = append(out, segment{dir: d, seq: tl.Seq, syn: tl.SYN, payload: tl.Payload, ts: ci.Timestamp})
	}
	return out
}

// replay delivers segments in sequence order per direction, as the capture
// layer would: retransmitted bytes are trimmed, holes reported as gaps.
func replay(segs []segment, a *Analyzer) {
	var next [2]uint32
	var started [2]bool
	for _, s := range segs {
		if s.syn {
			next[s.dir], started[s.dir] = s.seq+1, true
			continue
		}
		if len(s.payload) == 0 {
			continue
		}
		if !started[s.dir] {
			next[s.dir], started[s.dir] = s.seq, true
		}
		p := s.payload
		switch diff := int32(s.seq - next[s.dir]); {
		case diff < 0 && int(-diff) >= len(p):
			continue
		case diff < 0:
			p = p[-diff:]
		case diff > 0:
			a.Gap(s.dir, int(diff))
		}
		a.Data(s.dir, p, s.ts)
		next[s.dir] = s.seq + uint32(len(s.payload))
	}
	a.End(c2s)
	a.End(s2c)
	a.Expire()
}

func analyzePcap(t *testing.T, path string) *prototest.Recorder {
	rec := &prototest.Recorder{}
	replay(readPcap(t, path), NewAnalyzer(newTestFlow(), rec, nil))
	return rec
}
