package gen

import (
	"bytes"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"labwatch/protocols/app"
)

// framer turns queued packets into wire frames. It owns one of each layer and
// one serialize buffer, reused for every packet, so the common path does not
// allocate; the returned frame is valid until the next call.
type framer struct {
	link  LinkType
	buf   gopacket.SerializeBuffer
	whole gopacket.SerializeBuffer // the unfragmented datagram, when fragmenting
	opts  gopacket.SerializeOptions

	eth     layers.Ethernet
	tags    [2]layers.Dot1Q
	sll     sllHeader
	ip4     layers.IPv4
	ip6     layers.IPv6
	tcp     layers.TCP
	udp     layers.UDP
	payload gopacket.Payload
	stack   []gopacket.SerializableLayer

	synOpts [4]layers.TCPOption
	mssData [2]byte
	wsData  [1]byte
}

func newFramer(link LinkType) *framer {
	return &framer{
		link:  link,
		buf:   gopacket.NewSerializeBuffer(),
		whole: gopacket.NewSerializeBuffer(),
		opts:  gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		sll:   sllHeader{v2: link == LinkSLL2, ifIndex: 2},
	}
}

// linkLayers pushes the link-layer headers for a packet of f in direction d.
func (fr *framer) linkLayers(f *flow, d app.Direction, ether layers.EthernetType) {
	src := f.src(d)
	switch fr.link {
	case LinkEthernet:
		fr.eth = layers.Ethernet{SrcMAC: src.mac, DstMAC: f.dst(d).mac, EthernetType: ether}
		fr.stack = append(fr.stack, &fr.eth)
		switch len(f.spec.tags) {
		case 1:
			fr.eth.EthernetType = layers.EthernetTypeDot1Q
			fr.tags[0] = layers.Dot1Q{VLANIdentifier: f.spec.tags[0], Type: ether}
			fr.stack = append(fr.stack, &fr.tags[0])
		case 2:
			fr.eth.EthernetType = layers.EthernetTypeQinQ
			fr.tags[0] = layers.Dot1Q{VLANIdentifier: f.spec.tags[0], Type: layers.EthernetTypeDot1Q}
			fr.tags[1] = layers.Dot1Q{VLANIdentifier: f.spec.tags[1], Type: ether}
			fr.stack = append(fr.stack, &fr.tags[0], &fr.tags[1])
		}
	case LinkSLL, LinkSLL2:
		fr.sll.proto, fr.sll.addr = ether, src.mac
		fr.stack = append(fr.stack, &fr.sll)
	}
}

// ipLayer pushes the IP header of a packet of f in direction d.
func (fr *framer) ipLayer(f *flow, d app.Direction, proto layers.IPProtocol) gopacket.NetworkLayer {
	src, dst := f.src(d), f.dst(d)
	if f.spec.v6 {
		fr.linkLayers(f, d, layers.EthernetTypeIPv6)
		fr.ip6 = layers.IPv6{Version: 6, FlowLabel: f.flowLabel, NextHeader: proto, HopLimit: src.ttl, SrcIP: src.ip6, DstIP: dst.ip6}
		fr.stack = append(fr.stack, &fr.ip6)
		return &fr.ip6
	}
	fr.linkLayers(f, d, layers.EthernetTypeIPv4)
	f.ipID[d]++
	fr.ip4 = layers.IPv4{Version: 4, TTL: src.ttl, Id: f.ipID[d], Flags: layers.IPv4DontFragment, Protocol: proto, SrcIP: src.ip4, DstIP: dst.ip4}
	fr.stack = append(fr.stack, &fr.ip4)
	return &fr.ip4
}

// tcpFrame serializes one TCP packet of f.
func (fr *framer) tcpFrame(f *flow, p *pkt) ([]byte, error) {
	fr.stack = fr.stack[:0]
	nl := fr.ipLayer(f, p.dir, layers.IPProtocolTCP)
	fr.setTCP(f, p)
	if err := fr.tcp.SetNetworkLayerForChecksum(nl); err != nil {
		return nil, err
	}
	fr.payload = p.payload
	fr.stack = append(fr.stack, &fr.tcp, &fr.payload)
	if err := gopacket.SerializeLayers(fr.buf, fr.opts, fr.stack...); err != nil {
		return nil, err
	}
	return fr.buf.Bytes(), nil
}

func (fr *framer) setTCP(f *flow, p *pkt) {
	src := f.src(p.dir)
	sport, dport := f.ports(p.dir)
	fr.tcp = layers.TCP{
		SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport),
		Seq: p.seq, Ack: p.ack, Window: src.window,
		FIN: p.flags&flagFIN != 0, SYN: p.flags&flagSYN != 0, RST: p.flags&flagRST != 0,
		PSH: p.flags&flagPSH != 0, ACK: p.flags&flagACK != 0,
	}
	if p.flags&flagSYN == 0 {
		return
	}
	// MSS, NOP, window scale, SACK permitted: what Windows and Linux both send.
	fr.tcp.Window = src.synWindow
	mss := src.mss
	if f.spec.v6 {
		mss -= 20
	}
	fr.mssData = [2]byte{byte(mss >> 8), byte(mss)}
	fr.wsData[0] = src.wscale
	fr.synOpts = [4]layers.TCPOption{
		{OptionType: layers.TCPOptionKindMSS, OptionData: fr.mssData[:]},
		{OptionType: layers.TCPOptionKindNop},
		{OptionType: layers.TCPOptionKindWindowScale, OptionData: fr.wsData[:]},
		{OptionType: layers.TCPOptionKindSACKPermitted},
	}
	fr.tcp.Options = fr.synOpts[:]
}

// udpFrame serializes one UDP datagram of f.
func (fr *framer) udpFrame(f *flow, p *pkt) ([]byte, error) {
	fr.stack = fr.stack[:0]
	nl := fr.ipLayer(f, p.dir, layers.IPProtocolUDP)
	sport, dport := f.ports(p.dir)
	fr.udp = layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	if err := fr.udp.SetNetworkLayerForChecksum(nl); err != nil {
		return nil, err
	}
	fr.payload = p.payload
	fr.stack = append(fr.stack, &fr.udp, &fr.payload)
	if err := gopacket.SerializeLayers(fr.buf, fr.opts, fr.stack...); err != nil {
		return nil, err
	}
	return fr.buf.Bytes(), nil
}

// tcpFragments serializes one TCP segment of an IPv4 flow as IP fragments of
// fragmentPayload bytes each. With lastFirst the final fragment is sent first,
// as some stacks do. Each returned frame is a fresh copy.
func (fr *framer) tcpFragments(f *flow, p *pkt, lastFirst bool) ([][]byte, error) {
	// The whole datagram first, so the TCP checksum covers the full segment.
	fr.stack = fr.stack[:0]
	fr.ipLayer(f, p.dir, layers.IPProtocolTCP)
	link := len(fr.stack) - 1 // layers before the IPv4 header
	fr.setTCP(f, p)
	if err := fr.tcp.SetNetworkLayerForChecksum(&fr.ip4); err != nil {
		return nil, err
	}
	fr.payload = p.payload
	whole := append(fr.stack[link:link:link], &fr.ip4, &fr.tcp, &fr.payload)
	if err := gopacket.SerializeLayers(fr.whole, fr.opts, whole...); err != nil {
		return nil, err
	}
	segment := fr.whole.Bytes()[20:] // IPv4 header without options
	var frames [][]byte
	for off := 0; off < len(segment); off += fragmentPayload {
		end := min(off+fragmentPayload, len(segment))
		fr.ip4.Flags = 0
		if end < len(segment) {
			fr.ip4.Flags = layers.IPv4MoreFragments
		}
		fr.ip4.FragOffset = uint16(off / 8)
		fr.payload = segment[off:end]
		stack := append(fr.stack[:link:link], &fr.ip4, &fr.payload)
		if err := gopacket.SerializeLayers(fr.buf, fr.opts, stack...); err != nil {
			return nil, err
		}
		frames = append(frames, bytes.Clone(fr.buf.Bytes()))
	}
	if lastFirst && len(frames) > 1 {
		last := frames[len(frames)-1]
		copy(frames[1:], frames[:len(frames)-1])
		frames[0] = last
	}
	return frames, nil
}
