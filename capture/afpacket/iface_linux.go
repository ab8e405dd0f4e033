package afpacket

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// link is what Open learns about the interface before binding to it.
type link struct {
	name  string
	index int
}

// lookupLink checks that the interface exists, is up, and is an Ethernet
// interface (the only link type the rings are read as).
func lookupLink(name string) (link, error) {
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return link{}, errorf(ErrInterfaceDown, "afpacket: interface %q not found: list interfaces with `ip link` and pass one with -i", name)
	}
	if ifc.Flags&net.FlagUp == 0 {
		return link{}, errorf(ErrInterfaceDown, "afpacket: interface %s is down: bring it up with `ip link set %s up`", name, name)
	}
	switch hw, err := hardwareType(name); {
	case err != nil || hw == unix.ARPHRD_ETHER:
	case hw == unix.ARPHRD_LOOPBACK:
		// A packet socket sees each loopback packet twice (going out and
		// coming in); libpcap drops the outgoing copy, these rings cannot.
		return link{}, errorf(ErrUnsupported, "afpacket: %s is a loopback interface, where AF_PACKET sees every packet twice: use --capture pcap", name)
	default:
		return link{}, errorf(ErrUnsupported, "afpacket: interface %s has link type %d, not Ethernet: use --capture pcap", name, hw)
	}
	return link{name: name, index: ifc.Index}, nil
}

// hardwareType asks the kernel for the interface's ARPHRD_* type.
func hardwareType(name string) (uint16, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return 0, err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFHWADDR, ifr); err != nil {
		return 0, err
	}
	// The request's union starts with the hardware address's sa_family.
	return ifr.Uint16(), nil
}

// gone reports whether the interface the group was bound to has disappeared
// (deleted, or replaced by a new one of the same name) or is down.
func (l link) gone() bool {
	ifc, err := net.InterfaceByName(l.name)
	return err != nil || ifc.Index != l.index || ifc.Flags&net.FlagUp == 0
}

// rxDropped reads the interface's own drop counter (what libpcap reports as
// interface drops); 0 when sysfs does not have it.
func (l link) rxDropped() uint64 {
	b, err := os.ReadFile("/sys/class/net/" + l.name + "/statistics/rx_dropped")
	if err != nil {
		return 0
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// explainOpen turns a socket error into one sentence saying what to do.
func explainOpen(iface string, err error) error {
	switch {
	case errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES):
		exe, _ := os.Executable()
		return fmt.Errorf("afpacket: no permission to capture on %s: run as root, or grant the capability once with `setcap cap_net_raw,cap_net_admin=eip %s`", iface, exe)
	case errors.Is(err, unix.EAFNOSUPPORT) || errors.Is(err, unix.ENOPROTOOPT):
		return errorf(ErrUnsupported, "afpacket: kernel without AF_PACKET TPACKET_V3 (%v): use --capture pcap", err)
	case errors.Is(err, unix.ENODEV) || errors.Is(err, unix.ENXIO) || errors.Is(err, unix.ENETDOWN):
		return errorf(ErrInterfaceDown, "afpacket: interface %s went away while opening", iface)
	}
	return fmt.Errorf("afpacket: cannot capture on %s: %w", iface, err)
}
