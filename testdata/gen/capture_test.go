package gen

import (
	"bytes"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/ip4defrag"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/stretchr/testify/require"
)

// frame is one packet read back from a capture.
type frame struct {
	ci   gopacket.CaptureInfo
	data []byte
}

// readFrames reads every packet of a pcap or pcapng capture.
func readFrames(t testing.TB, data []byte) ([]frame, layers.LinkType) {
	t.Helper()
	type reader interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var r reader
	var link layers.LinkType
	if bytes.HasPrefix(data, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		ng, err := pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.DefaultNgReaderOptions)
		require.NoError(t, err)
		r, link = ng, ng.LinkType()
	} else {
		pr, err := pcapgo.NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		r, link = pr, pr.LinkType()
	}
	var out []frame
	for {
		d, ci, err := r.ReadPacketData()
		if err == io.EOF {
			return out, link
		}
		require.NoError(t, err)
		out = append(out, frame{ci: ci, data: bytes.Clone(d)})
	}
}

// seg is one decoded transport packet (IPv4 fragments already reassembled).
type seg struct {
	ts       time.Time
	tags     []uint16 // 802.1Q / 802.1ad ids, outer first
	v6       bool
	fragment bool // arrived as IPv4 fragments
	tcp      *layers.TCP
	udp      *layers.UDP
	src, dst netip.AddrPort
	payload  []byte
}

// captureStats are what the decoder noticed below the transport layer.
type captureStats struct {
	fragments        int // IPv4 fragment frames
	datagrams        int // fragmented datagrams reassembled
	lastFirst        int // datagrams whose first fragment seen was not at offset 0
	badIPChecksums   int
	badTCPChecksums  int
	badUDPChecksums  int
	checkedTCPFrames int
}

// decodeCapture decodes every frame, verifies IP/TCP/UDP checksums of
// unfragmented packets and reassembles IPv4 fragments.
func decodeCapture(t testing.TB, frames []frame, link layers.LinkType) ([]seg, captureStats) {
	t.Helper()
	var st captureStats
	defrag := ip4defrag.NewIPv4Defragmenter()
	firstSeen := map[uint16]bool{}
	var out []seg
	for i, fr := range frames {
		pk := gopacket.NewPacket(fr.data, link, gopacket.Default)
		require.Nil(t, pk.ErrorLayer(), "frame %d does not decode", i+1)
		s := seg{ts: fr.ci.Timestamp}
		for _, l := range pk.Layers() {
			if q, ok := l.(*layers.Dot1Q); ok {
				s.tags = append(s.tags, q.VLANIdentifier)
			}
		}
		var nl gopacket.NetworkLayer
		if ip6, ok := pk.NetworkLayer().(*layers.IPv6); ok {
			s.v6, nl = true, ip6
			s.src = netip.AddrPortFrom(mustAddr(t, ip6.SrcIP), 0)
			s.dst = netip.AddrPortFrom(mustAddr(t, ip6.DstIP), 0)
		}
		if ip4, ok := pk.NetworkLayer().(*layers.IPv4); ok {
			nl = ip4
			s.src = netip.AddrPortFrom(mustAddr(t, ip4.SrcIP), 0)
			s.dst = netip.AddrPortFrom(mustAddr(t, ip4.DstIP), 0)
			if err, res := ip4.VerifyChecksum(); err != nil || !res.Valid {
				st.badIPChecksums++
			}
			if ip4.Flags&layers.IPv4MoreFragments != 0 || ip4.FragOffset != 0 {
				st.fragments++
				if _, seen := firstSeen[ip4.Id]; !seen {
					firstSeen[ip4.Id] = true
					if ip4.FragOffset != 0 {
						st.lastFirst++
					}
				}
				whole, err := defrag.DefragIPv4(ip4)
				require.NoError(t, err)
				if whole == nil {
					continue
				}
				st.datagrams++
				s.fragment = true
				tp := gopacket.NewPacket(whole.Payload, layers.LayerTypeTCP, gopacket.Default)
				tcp, ok := tp.Layer(layers.LayerTypeTCP).(*layers.TCP)
				require.True(t, ok, "reassembled datagram is not TCP")
				require.NoError(t, tcp.SetNetworkLayerForChecksum(whole))
				if err, res := tcp.VerifyChecksum(); err != nil || !res.Valid {
					st.badTCPChecksums++
				}
				s.tcp = tcp
				s.payload = tcp.Payload
				s.src = netip.AddrPortFrom(s.src.Addr(), uint16(tcp.SrcPort))
				s.dst = netip.AddrPortFrom(s.dst.Addr(), uint16(tcp.DstPort))
				out = append(out, s)
				continue
			}
		}
		require.NotNil(t, nl, "frame %d has no IP layer", i+1)
		switch tl := pk.TransportLayer().(type) {
		case *layers.TCP:
			st.checkedTCPFrames++
			require.NoError(t, tl.SetNetworkLayerForChecksum(nl))
			if err, res := tl.VerifyChecksum(); err != nil || !res.Valid {
				st.badTCPChecksums++
			}
			s.tcp, s.payload = tl, tl.Payload
			s.src = netip.AddrPortFrom(s.src.Addr(), uint16(tl.SrcPort))
			s.dst = netip.AddrPortFrom(s.dst.Addr(), uint16(tl.DstPort))
		case *layers.UDP:
			require.NoError(t, tl.SetNetworkLayerForChecksum(nl))
			if err, res := tl.VerifyChecksum(); err != nil || !res.Valid {
				st.badUDPChecksums++
			}
			s.udp, s.payload = tl, tl.Payload
			s.src = netip.AddrPortFrom(s.src.Addr(), uint16(tl.SrcPort))
			s.dst = netip.AddrPortFrom(s.dst.Addr(), uint16(tl.DstPort))
		default:
			t.Fatalf("frame %d has no TCP or UDP layer", i+1)
		}
		out = append(out, s)
	}
	return out, st
}

func mustAddr(t testing.TB, ip []byte) netip.Addr {
	a, ok := netip.AddrFromSlice(ip)
	require.True(t, ok)
	return a.Unmap()
}

// streamKey names one direction of a TCP connection.
type streamKey struct{ src, dst netip.AddrPort }

// streamCheck is what the capture shows of one TCP direction.
type streamCheck struct {
	isn         uint32
	haveISN     bool
	segments    []seg
	retransmits int
	reorders    int

	high    uint32 // end of the furthest segment so far
	hasHigh bool
	seen    map[[2]uint32]bool // (seq, len) of segments so far
}

// tcpDirections groups TCP segments by direction and counts retransmitted
// (same sequence range seen before) and out-of-order (behind the furthest
// sequence seen, never seen before) segments.
func tcpDirections(segs []seg) map[streamKey]*streamCheck {
	out := map[streamKey]*streamCheck{}
	for _, s := range segs {
		if s.tcp == nil {
			continue
		}
		k := streamKey{s.src, s.dst}
		sc := out[k]
		if sc == nil {
			sc = &streamCheck{seen: map[[2]uint32]bool{}}
			out[k] = sc
		}
		if s.tcp.SYN {
			sc.isn, sc.haveISN = s.tcp.Seq, true
			continue
		}
		if len(s.payload) == 0 {
			continue
		}
		sc.segments = append(sc.segments, s)
		id := [2]uint32{s.tcp.Seq, uint32(len(s.payload))}
		switch {
		case sc.seen[id]:
			sc.retransmits++
		case sc.hasHigh && int32(s.tcp.Seq-sc.high) < 0:
			sc.reorders++
		}
		sc.seen[id] = true
		if end := s.tcp.Seq + uint32(len(s.payload)); !sc.hasHigh || int32(end-sc.high) > 0 {
			sc.high, sc.hasHigh = end, true
		}
	}
	return out
}

// reassemble lays the captured segments of one direction over a buffer of n
// bytes and returns it with a mask of the bytes the capture holds.
func (sc *streamCheck) reassemble(t testing.TB, n int) ([]byte, []bool) {
	t.Helper()
	require.True(t, sc.haveISN, "direction without SYN")
	buf := make([]byte, n)
	have := make([]bool, n)
	for _, s := range sc.segments {
		off := int(s.tcp.Seq - (sc.isn + 1))
		require.LessOrEqual(t, off+len(s.payload), n, "segment beyond the stream's end")
		copy(buf[off:], s.payload)
		for i := range s.payload {
			have[off+i] = true
		}
	}
	return buf, have
}

// holes lists the byte ranges a mask lacks.
func holes(have []bool) []ByteRange {
	var out []ByteRange
	for i := 0; i < len(have); {
		if have[i] {
			i++
			continue
		}
		j := i
		for j < len(have) && !have[j] {
			j++
		}
		out = append(out, ByteRange{Offset: int64(i), Len: int64(j - i)})
		i = j
	}
	return out
}
