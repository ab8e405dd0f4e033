package capture

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// ShardOf returns which of n workers owns a packet: a symmetric hash of its
// addresses and, for TCP and UDP, its ports, so both directions of a flow land
// on the same worker while the flows between two busy hosts (an interface
// engine and its LIS) spread over all of them. IPv4 fragments carry no ports
// past the first: they hash by address pair, so a caller spreading packets over
// workers reassembles them first (Sharder does, as the kernel's
// PACKET_FANOUT_FLAG_DEFRAG does for AF_PACKET fanout). ShardOf reads only the
// headers and does not allocate. Packets that are not IP go to worker 0.
func ShardOf(data []byte, link layers.LinkType, n int) int {
	if n <= 1 {
		return 0
	}
	ip, ok := locateIP(data, link)
	if !ok {
		return 0
	}
	return ip.worker(n)
}

// worker picks one of n workers for the packet.
func (h *ipHeader) worker(n int) int {
	return int(h.hash() % uint64(max(n, 1)))
}

// ipHeader locates the addresses and transport ports of an IP packet inside the
// captured bytes.
type ipHeader struct {
	off      int // where the IP header starts (after the link headers)
	src, dst []byte
	ports    []byte // source then destination port, nil when unknown
	fragment bool   // an IPv4 fragment
}

// hash is symmetric: each endpoint (address, port) is hashed alone and the two
// are added.
func (h *ipHeader) hash() uint64 {
	var sp, dp []byte
	if h.ports != nil {
		sp, dp = h.ports[0:2], h.ports[2:4]
	}
	x := endpointHash(h.src, sp) + endpointHash(h.dst, dp)
	x ^= x >> 29
	x *= 0x9e3779b97f4a7c15
	return x >> 32
}

// endpointHash is FNV-1a over an address and its port.
func endpointHash(addr, port []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, b := range addr {
		h = (h ^ uint64(b)) * 1099511628211
	}
	for _, b := range port {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return h
}

// locateIP finds the IPv4 or IPv6 header behind the link layers labwatch
// decodes, and the ports when the packet is TCP or UDP and not a fragment.
func locateIP(data []byte, link layers.LinkType) (ipHeader, bool) {
	off, etherType := 0, uint16(0)
	switch link {
	case layers.LinkTypeEthernet:
		off, etherType = 14, be16(data, 12)
		for (etherType == 0x8100 || etherType == 0x88a8) && len(data) >= off+4 {
			etherType = be16(data, off+2)
			off += 4
		}
	case layers.LinkTypeLinuxSLL:
		off, etherType = 16, be16(data, 14)
	case layers.LinkTypeLinuxSLL2:
		off, etherType = 20, be16(data, 0)
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		off = 4
	case layers.LinkTypeRaw, layers.LinkTypeIPv4, layers.LinkTypeIPv6, 12, 14:
	default:
		return ipHeader{}, false
	}
	if len(data) <= off {
		return ipHeader{}, false
	}
	ip := data[off:]
	switch {
	case etherType == 0x0800 || etherType == 0 && ip[0]>>4 == 4:
		return ipv4Header(ip, off)
	case etherType == 0x86dd || etherType == 0 && ip[0]>>4 == 6:
		return ipv6Header(ip, off)
	}
	return ipHeader{}, false
}

func ipv4Header(ip []byte, off int) (ipHeader, bool) {
	if len(ip) < 20 {
		return ipHeader{}, false
	}
	h := ipHeader{off: off, src: ip[12:16], dst: ip[16:20]}
	// More-fragments flag or a fragment offset.
	h.fragment = binary.BigEndian.Uint16(ip[6:8])&0x3fff != 0
	if ihl := int(ip[0]&0x0f) * 4; !h.fragment && ihl >= 20 {
		h.ports = transportPorts(ip, ihl, ip[9])
	}
	return h, true
}

// ipv6Header follows the extension headers that may precede TCP or UDP; a
// fragment header or anything unknown leaves the packet without ports.
func ipv6Header(ip []byte, off int) (ipHeader, bool) {
	if len(ip) < 40 {
		return ipHeader{}, false
	}
	h := ipHeader{off: off, src: ip[8:24], dst: ip[24:40]}
	next, at := ip[6], 40
	for i := 0; i < 8; i++ { // a bound on chained headers; real packets use one or two
		switch next {
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if len(ip) < at+2 {
				return h, true
			}
			next, at = ip[at], at+(int(ip[at+1])+1)*8
		default:
			h.ports = transportPorts(ip, at, next)
			return h, true
		}
	}
	return h, true
}

func transportPorts(ip []byte, at int, proto byte) []byte {
	if (proto == 6 || proto == 17) && at >= 0 && len(ip) >= at+4 {
		return ip[at : at+4]
	}
	return nil
}

func be16(b []byte, at int) uint16 {
	if len(b) < at+2 {
		return 0
	}
	return binary.BigEndian.Uint16(b[at:])
}
