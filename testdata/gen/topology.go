package gen

import (
	"net"
	"net/netip"
	"strconv"
)

type role uint8

const (
	roleLIS role = iota
	roleEngine
	roleAnalyzer
	rolePrinter
	roleWorkstation
	roleDNS
	roleOutside
)

// host is one device of the lab network, with what its TCP/IP stack looks like
// on the wire.
type host struct {
	name string
	role role
	v4   netip.Addr
	v6   netip.Addr // zero for hosts without IPv6
	ip4  net.IP     // the same addresses as net.IP, allocated once for gopacket
	ip6  net.IP
	mac  net.HardwareAddr // the MAC its frames carry on the lab segment (the router's for outside hosts)

	ttl       uint8
	mss       uint16 // MSS it announces over IPv4
	synWindow uint16
	window    uint16 // receive window field after the handshake (scaled)
	wscale    uint8

	portLow, portHigh uint16 // ephemeral port range of its OS
	nextPort          uint16

	model  *analyzerModel // analyzers only
	serial string
}

// ephemeralPort hands out the next client port, wrapping inside the OS range.
func (h *host) ephemeralPort() uint16 {
	p := h.nextPort
	if p < h.portLow || p >= h.portHigh {
		p = h.portLow
	}
	h.nextPort = p + 1
	return p
}

// topology is the lab network: a LIS, an interface engine, analyzers, label
// printers, phlebotomy workstations, a DNS server and one host outside the
// trusted networks, all behind one router.
type topology struct {
	lis, engine, dns, outside *host
	analyzers                 []*host
	hl7Analyzers              []*host
	astmAnalyzers             []*host
	printers                  []*host
	workstations              []*host
	routerMAC                 net.HardwareAddr
}

func newTopology(o Options, r *rng) *topology {
	t := &topology{routerMAC: labMAC(0, 1)}
	t.lis = newHost("lis01", roleLIS, 1, 10, linuxStack, r)
	t.engine = newHost("ie01", roleEngine, 1, 20, linuxStack, r)
	t.dns = newHost("dns01", roleDNS, 0, 53, linuxStack, r)
	for i := range o.Analyzers {
		m := &analyzerModels[i%len(analyzerModels)]
		subnet, last := analyzerAddr(i)
		h := newHost(m.app, roleAnalyzer, subnet, last, windowsStack, r)
		h.model = m
		h.serial = m.serialPrefix + strconv.Itoa(41000+i*37)
		if m.mss != 0 {
			h.mss = m.mss
		}
		t.analyzers = append(t.analyzers, h)
		if m.astm {
			t.astmAnalyzers = append(t.astmAnalyzers, h)
		} else {
			t.hl7Analyzers = append(t.hl7Analyzers, h)
		}
	}
	// A lab with a single analyzer still needs someone to speak each protocol.
	if len(t.astmAnalyzers) == 0 {
		t.astmAnalyzers = t.analyzers
	}
	if len(t.hl7Analyzers) == 0 {
		t.hl7Analyzers = t.analyzers
	}
	for i := range 2 {
		t.printers = append(t.printers, newHost("zebra0"+strconv.Itoa(i+1), rolePrinter, 3, 21+i, embeddedStack, r))
	}
	for i := range 3 {
		t.workstations = append(t.workstations, newHost("phl0"+strconv.Itoa(i+1), roleWorkstation, 4, 31+i, windowsStack, r))
	}
	out := &host{
		name: "reflab", role: roleOutside,
		v4:  netip.AddrFrom4([4]byte{198, 51, 100, 23}),
		mac: t.routerMAC, ttl: 52, mss: 1380, synWindow: 65535, window: 1026, wscale: 8,
		portLow: 32768, portHigh: 61000,
	}
	out.ip4 = out.v4.AsSlice()
	out.nextPort = out.portLow + uint16(r.IntN(20000))
	t.outside = out
	return t
}

// analyzerAddr places analyzer i: 10.40.2.11–210 for the first 200, then
// 10.40.16.0/24 upward, clear of the printer and workstation subnets.
func analyzerAddr(i int) (subnet, last int) {
	if i < 200 {
		return 2, 11 + i
	}
	return 16 + (i-200)/200, 11 + (i-200)%200
}

type stack uint8

const (
	linuxStack stack = iota
	windowsStack
	embeddedStack
)

func newHost(name string, ro role, subnet, last int, st stack, r *rng) *host {
	h := &host{
		name: name, role: ro,
		v4:  netip.AddrFrom4([4]byte{10, 40, byte(subnet), byte(last)}),
		mac: labMAC(byte(subnet), byte(last)),
	}
	// fd00:40::<subnet>:<host>, written with the same digits as the IPv4 address.
	var a6 [16]byte
	a6[0], a6[1], a6[3] = 0xfd, 0x00, 0x40
	a6[12], a6[13] = hexDigits(subnet)
	a6[14], a6[15] = hexDigits(last)
	h.v6 = netip.AddrFrom16(a6)
	h.ip4 = h.v4.AsSlice()
	h.ip6 = h.v6.AsSlice()
	switch st {
	case linuxStack:
		h.ttl, h.mss, h.synWindow, h.window, h.wscale = 64, 1460, 64240, 502, 7
		h.portLow, h.portHigh = 32768, 61000
	case windowsStack:
		h.ttl, h.mss, h.synWindow, h.window, h.wscale = 128, 1460, 64240, 1026, 8
		h.portLow, h.portHigh = 49152, 65535
	case embeddedStack:
		h.ttl, h.mss, h.synWindow, h.window, h.wscale = 64, 1460, 8192, 8192, 0
		h.portLow, h.portHigh = 1024, 5000
	}
	h.nextPort = h.portLow + uint16(r.IntN(int(h.portHigh-h.portLow)/2))
	return h
}

// hexDigits writes n (< 10000) so that its decimal digits read as hex: 53 -> 0x0053.
func hexDigits(n int) (byte, byte) {
	v := (n/1000%10)<<12 | (n/100%10)<<8 | (n/10%10)<<4 | n%10
	return byte(v >> 8), byte(v)
}

// labMAC is a locally administered unicast MAC derived from the IPv4 address.
func labMAC(subnet, last byte) net.HardwareAddr {
	return net.HardwareAddr{0x02, 0x4c, 0x57, 0x00, subnet, last}
}

// analyzerFor picks an analyzer speaking the wanted protocol.
func (t *topology) analyzerFor(astm bool, r *rng) *host {
	if astm {
		return t.astmAnalyzers[r.IntN(len(t.astmAnalyzers))]
	}
	return t.hl7Analyzers[r.IntN(len(t.hl7Analyzers))]
}
