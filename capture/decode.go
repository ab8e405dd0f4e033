package capture

import (
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Decoded is what the decoder extracts from one packet. It is overwritten by the
// next Decode call; nothing in it is allocated per packet.
type Decoded struct {
	SrcMAC, DstMAC [6]byte
	HasMAC         bool
	VLANs          int // 802.1Q / 802.1ad tags seen (2 for QinQ)

	Src, Dst  netip.Addr
	IPVersion int
	Fragment  bool // an IPv4 fragment (not yet reassembled)

	Transport        uint8 // 6 TCP, 17 UDP, 0 otherwise
	SrcPort, DstPort uint16
	TCP              *layers.TCP // set for TCP, points into the decoder
	Payload          []byte      // transport payload (TCP or UDP)
}

// decodeReason names why a packet was not fully decoded; they are summary keys.
const (
	reasonUnknownLink  = "unknown_link_type"
	reasonMalformed    = "malformed"
	reasonNotIP        = "not_ip"
	reasonOtherL4      = "other_transport"
	reasonIPv6Fragment = "ipv6_fragment"
)

// Decoder decodes packets with preallocated layers. One Decoder per goroutine.
type Decoder struct {
	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	sll     layers.LinuxSLL
	sll2    layers.LinuxSLL2
	loop    layers.Loopback
	ip4     layers.IPv4
	ip6     layers.IPv6
	tcp     layers.TCP
	udp     layers.UDP
	payload gopacket.Payload

	byLink     map[layers.LinkType]*gopacket.DecodingLayerParser
	raw4, raw6 *gopacket.DecodingLayerParser
	// tcpFirst and udpFirst decode the payload of reassembled IPv4 fragments.
	tcpFirst, udpFirst *gopacket.DecodingLayerParser
	types              []gopacket.LayerType
}

// NewDecoder builds parsers for every supported link type, sharing one set of layers.
func NewDecoder() *Decoder {
	d := &Decoder{types: make([]gopacket.LayerType, 0, 12)}
	all := []gopacket.DecodingLayer{&d.eth, &d.dot1q, &d.sll, &d.sll2, &d.loop,
		&d.ip4, &d.ip6, &d.tcp, &d.udp, &d.payload}
	parser := func(first gopacket.LayerType) *gopacket.DecodingLayerParser {
		p := gopacket.NewDecodingLayerParser(first, all...)
		p.IgnoreUnsupported = true
		return p
	}
	d.byLink = map[layers.LinkType]*gopacket.DecodingLayerParser{
		layers.LinkTypeEthernet:  parser(layers.LayerTypeEthernet),
		layers.LinkTypeLinuxSLL:  parser(layers.LayerTypeLinuxSLL),
		layers.LinkTypeLinuxSLL2: parser(layers.LayerTypeLinuxSLL2),
		layers.LinkTypeNull:      parser(layers.LayerTypeLoopback),
		layers.LinkTypeLoop:      parser(layers.LayerTypeLoopback),
		layers.LinkTypeIPv4:      parser(layers.LayerTypeIPv4),
		layers.LinkTypeIPv6:      parser(layers.LayerTypeIPv6),
	}
	d.raw4 = parser(layers.LayerTypeIPv4)
	d.raw6 = parser(layers.LayerTypeIPv6)
	d.tcpFirst = parser(layers.LayerTypeTCP)
	d.udpFirst = parser(layers.LayerTypeUDP)
	return d
}

// Decode decodes one packet of the given link type into out. It returns "" on
// success or a reason code when the packet cannot be used.
func (d *Decoder) Decode(data []byte, link layers.LinkType, out *Decoded) string {
	*out = Decoded{}
	p := d.byLink[link]
	if p == nil {
		// Raw IP has two historical link type numbers (12/14 on some systems, 101).
		if link != layers.LinkTypeRaw && link != 12 && link != 14 {
			return reasonUnknownLink
		}
		if len(data) == 0 {
			return reasonMalformed
		}
		if data[0]>>4 == 6 {
			p = d.raw6
		} else {
			p = d.raw4
		}
	}
	if err := p.DecodeLayers(data, &d.types); err != nil {
		return reasonMalformed
	}
	return d.fill(out)
}

// DecodeTransport decodes a reassembled IPv4 datagram's payload (protocol proto)
// into out, keeping the addresses and link fields already in out.
func (d *Decoder) DecodeTransport(payload []byte, proto layers.IPProtocol, out *Decoded) string {
	out.Fragment = false
	var p *gopacket.DecodingLayerParser
	switch proto {
	case layers.IPProtocolTCP:
		p = d.tcpFirst
	case layers.IPProtocolUDP:
		p = d.udpFirst
	default:
		return reasonOtherL4
	}
	if err := p.DecodeLayers(payload, &d.types); err != nil {
		return reasonMalformed
	}
	return d.fillTransport(out)
}

func (d *Decoder) fill(out *Decoded) string {
	sawIP := false
	for _, t := range d.types {
		switch t {
		case layers.LayerTypeEthernet:
			copy(out.SrcMAC[:], d.eth.SrcMAC)
			copy(out.DstMAC[:], d.eth.DstMAC)
			out.HasMAC = len(d.eth.SrcMAC) == 6
		case layers.LayerTypeLinuxSLL:
			if d.sll.AddrLen == 6 {
				copy(out.SrcMAC[:], d.sll.Addr)
				out.HasMAC = true
			}
		case layers.LayerTypeLinuxSLL2:
			if d.sll2.AddrLength == 6 {
				copy(out.SrcMAC[:], d.sll2.Addr)
				out.HasMAC = true
			}
		case layers.LayerTypeDot1Q:
			out.VLANs++
		case layers.LayerTypeIPv4:
			sawIP = true
			out.IPVersion = 4
			out.Src, _ = netip.AddrFromSlice(d.ip4.SrcIP)
			out.Dst, _ = netip.AddrFromSlice(d.ip4.DstIP)
			if d.ip4.Flags&layers.IPv4MoreFragments != 0 || d.ip4.FragOffset != 0 {
				out.Fragment = true
				return ""
			}
		case layers.LayerTypeIPv6:
			sawIP = true
			out.IPVersion = 6
			out.Src, _ = netip.AddrFromSlice(d.ip6.SrcIP)
			out.Dst, _ = netip.AddrFromSlice(d.ip6.DstIP)
		}
	}
	if !sawIP {
		return reasonNotIP
	}
	if out.IPVersion == 6 && d.lastNext() == layers.LayerTypeIPv6Fragment {
		return reasonIPv6Fragment
	}
	return d.fillTransport(out)
}

// lastNext is the layer type the parser stopped at.
func (d *Decoder) lastNext() gopacket.LayerType {
	if len(d.types) == 0 {
		return gopacket.LayerTypeZero
	}
	switch d.types[len(d.types)-1] {
	case layers.LayerTypeIPv6:
		return d.ip6.NextLayerType()
	}
	return gopacket.LayerTypeZero
}

func (d *Decoder) fillTransport(out *Decoded) string {
	for _, t := range d.types {
		switch t {
		case layers.LayerTypeTCP:
			out.Transport = 6
			out.SrcPort, out.DstPort = uint16(d.tcp.SrcPort), uint16(d.tcp.DstPort)
			out.TCP = &d.tcp
			out.Payload = d.tcp.Payload
			return ""
		case layers.LayerTypeUDP:
			out.Transport = 17
			out.SrcPort, out.DstPort = uint16(d.udp.SrcPort), uint16(d.udp.DstPort)
			out.Payload = d.udp.Payload
			return ""
		}
	}
	return reasonOtherL4
}

// IPv4 returns the decoded IPv4 header of the last packet (for defragmentation).
func (d *Decoder) IPv4() *layers.IPv4 { return &d.ip4 }

// NetworkFlow returns the gopacket network flow of the last decoded packet, used
// as the reassembly key.
func (d *Decoder) NetworkFlow(out *Decoded) gopacket.Flow {
	if out.IPVersion == 6 {
		return d.ip6.NetworkFlow()
	}
	return d.ip4.NetworkFlow()
}
