package detect

import (
	"net/netip"
	"strings"

	"labwatch/protocols/app"
)

// learnNames keeps the names the network gives a device — its DHCP host name,
// its DNS name from an A/AAAA or PTR answer — as attributes for the inventory
// and `baseline show`. Names never raise alerts: a new DNS name is not news.
func (e *Engine) learnNames(m *app.Message) {
	switch m.App {
	case "dhcp":
		name := cleanLabel(m.Attrs["hostname"], 64)
		if name == "" {
			return
		}
		for _, k := range [...]string{"assigned_ip", "requested_ip"} {
			if a, err := netip.ParseAddr(m.Attrs[k]); err == nil {
				e.setName(a, name, "")
				return
			}
		}
		if a := m.Flow.Src(m.Dir).Addr(); !a.IsUnspecified() {
			e.setName(a, name, "")
		}
	case "dns":
		if m.Type != "response" || m.Attrs["rcode"] != "NOERROR" {
			return
		}
		qname, answer := cleanLabel(m.Attrs["qname"], 128), cleanLabel(m.Attrs["answer"], 128)
		switch m.Attrs["qtype"] {
		case "A", "AAAA":
			if a, err := netip.ParseAddr(answer); err == nil {
				e.setName(a, "", qname)
			}
		case "PTR":
			if a, ok := reverseAddr(qname); ok {
				e.setName(a, "", answer)
			}
		}
	}
}

func (e *Engine) setName(a netip.Addr, dhcpName, dnsName string) {
	d := e.device(a)
	if d == nil {
		return
	}
	if dhcpName != "" {
		d.hostname = dhcpName
	}
	if v := cleanLabel(dnsName, 64); v != "" {
		d.dnsName = v
	}
}

// reverseAddr reads an IPv4 PTR name, "22.1.40.10.in-addr.arpa".
func reverseAddr(name string) (netip.Addr, bool) {
	rest, ok := strings.CutSuffix(name, ".in-addr.arpa")
	if !ok {
		return netip.Addr{}, false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 4 {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0])
	return a, err == nil
}
