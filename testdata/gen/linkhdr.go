package gen

import (
	"encoding/binary"
	"net"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// PcapLinkType is the link type number a capture of this LinkType declares.
func (l LinkType) PcapLinkType() layers.LinkType {
	switch l {
	case LinkSLL:
		return layers.LinkTypeLinuxSLL
	case LinkSLL2:
		return layers.LinkTypeLinuxSLL2
	case LinkRaw:
		return layers.LinkTypeRaw
	}
	return layers.LinkTypeEthernet
}

// Linux cooked-capture packet type of frames a promiscuous interface overhears.
const sllOtherHost = 3

// sllHeader writes a Linux cooked-capture header (v1, 16 bytes, or v2, 20
// bytes); gopacket decodes these but cannot serialize them.
type sllHeader struct {
	v2      bool
	proto   layers.EthernetType
	addr    net.HardwareAddr
	ifIndex uint32
}

func (h *sllHeader) LayerType() gopacket.LayerType {
	if h.v2 {
		return layers.LayerTypeLinuxSLL2
	}
	return layers.LayerTypeLinuxSLL
}

func (h *sllHeader) SerializeTo(b gopacket.SerializeBuffer, _ gopacket.SerializeOptions) error {
	if h.v2 {
		hdr, err := b.PrependBytes(20)
		if err != nil {
			return err
		}
		binary.BigEndian.PutUint16(hdr[0:], uint16(h.proto))
		binary.BigEndian.PutUint16(hdr[2:], 0) // reserved
		binary.BigEndian.PutUint32(hdr[4:], h.ifIndex)
		binary.BigEndian.PutUint16(hdr[8:], 1) // ARPHRD_ETHER
		hdr[10] = sllOtherHost
		hdr[11] = byte(len(h.addr))
		clear(hdr[12:20])
		copy(hdr[12:20], h.addr)
		return nil
	}
	hdr, err := b.PrependBytes(16)
	if err != nil {
		return err
	}
	binary.BigEndian.PutUint16(hdr[0:], sllOtherHost)
	binary.BigEndian.PutUint16(hdr[2:], 1) // ARPHRD_ETHER
	binary.BigEndian.PutUint16(hdr[4:], uint16(len(h.addr)))
	clear(hdr[6:14])
	copy(hdr[6:14], h.addr)
	binary.BigEndian.PutUint16(hdr[14:], uint16(h.proto))
	return nil
}
