package capture

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// ShardOf returns which of n workers owns a packet: a symmetric hash of its IP
// address pair, so both directions of a flow, every flow between two hosts and
// every fragment of a datagram (which carries no ports) land on the same worker.
// It reads only as far as the addresses and does not allocate. Packets that are
// not IP go to worker 0.
func ShardOf(data []byte, link layers.LinkType, n int) int {
	if n <= 1 {
		return 0
	}
	src, dst := ipAddrs(data, link)
	if src == nil {
		return 0
	}
	h := addrHash(src) + addrHash(dst) // addition: the same for both directions
	h ^= h >> 29
	h *= 0x9e3779b97f4a7c15
	return int((h >> 32) % uint64(n))
}

func addrHash(a []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, b := range a {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return h
}

// ipAddrs finds the source and destination addresses of an IPv4 or IPv6 packet
// behind the link layers labwatch decodes.
func ipAddrs(data []byte, link layers.LinkType) (src, dst []byte) {
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
		return nil, nil
	}
	if len(data) <= off {
		return nil, nil
	}
	ip := data[off:]
	switch {
	case etherType == 0x0800 || etherType == 0 && ip[0]>>4 == 4:
		if len(ip) >= 20 {
			return ip[12:16], ip[16:20]
		}
	case etherType == 0x86dd || etherType == 0 && ip[0]>>4 == 6:
		if len(ip) >= 40 {
			return ip[8:24], ip[24:40]
		}
	}
	return nil, nil
}

func be16(b []byte, at int) uint16 {
	if len(b) < at+2 {
		return 0
	}
	return binary.BigEndian.Uint16(b[at:])
}
