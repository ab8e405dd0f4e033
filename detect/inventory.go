package detect

import (
	"fmt"
	"net"
	"net/netip"
	"sort"
	"time"

	"labwatch/protocols/app"
)

// FlowRecord is what detection learns of a flow from the capture layer: who, how
// much, and the link-layer addresses. It holds no payload.
type FlowRecord struct {
	Flow    *app.Flow
	Last    time.Time
	Packets [2]uint64 // per app.Direction
	Bytes   [2]uint64
	MAC     [2][6]byte
	HasMAC  [2]bool
	// Reported are the bytes already given to detection by FlowProgress; at
	// FlowEnd only the rest counts toward the hour's volumes.
	Reported [2]uint64
}

// Device is one IP address seen on the wire, with what it did.
type Device struct {
	IP         string    `json:"ip"`
	MAC        string    `json:"mac,omitempty"`
	Name       string    `json:"name,omitempty"`
	Role       string    `json:"role,omitempty"`
	Trusted    bool      `json:"trusted"`
	FirstSeen  time.Time `json:"first_seen"`
	LastSeen   time.Time `json:"last_seen"`
	PacketsOut uint64    `json:"packets_out"`
	PacketsIn  uint64    `json:"packets_in"`
	BytesOut   uint64    `json:"bytes_out"`
	BytesIn    uint64    `json:"bytes_in"`
	Flows      uint64    `json:"flows"`
	// PortsServed counts flows this device answered, by "tcp/2575"; PortsUsed
	// counts flows it opened, by the peer's service port.
	PortsServed map[string]uint64 `json:"ports_served,omitempty"`
	PortsUsed   map[string]uint64 `json:"ports_used,omitempty"`
	// Messages counts application messages the device sent, by app.
	Messages map[string]uint64 `json:"messages,omitempty"`
	// Identities are what messages say the device is: application names, analyzer
	// make and model, software versions. Never patient data.
	Identities []string `json:"identities,omitempty"`
	// Software lists every software and firmware identity the device revealed
	// (analyzer firmware, HL7 SFT, banners, HTTP server and user agent, TLS
	// versions and ciphers, DICOM implementation, DHCP vendor class), from the
	// learned model: it survives restarts with the baseline.
	Software []SoftwareIdentity `json:"software,omitempty"`

	ports, idents int // held entries, for the caps
	// proven: answered, sent a message or held a TCP conversation (proof.go);
	// an unproven entry gives way to a newcomer when the inventory is full.
	proven bool
}

// Inventory keeps one Device per address, bounded by Config.MaxDevices.
type Inventory struct {
	cfg     *Config
	devices map[netip.Addr]*Device
	// OverCap counts addresses not kept because the inventory was full;
	// Evicted those that never proved real and gave way to a newcomer.
	OverCap, Evicted uint64
	unproven         unprovenQueue
}

// NewInventory makes an empty inventory.
func NewInventory(cfg *Config) *Inventory {
	return &Inventory{cfg: cfg, devices: make(map[netip.Addr]*Device)}
}

// Len returns the number of devices.
func (inv *Inventory) Len() int { return len(inv.devices) }

// device returns the device of an address, creating it if there is room.
func (inv *Inventory) device(a netip.Addr, ts time.Time) *Device {
	a = a.Unmap()
	if d := inv.devices[a]; d != nil {
		if ts.After(d.LastSeen) {
			d.LastSeen = ts
		}
		if ts.Before(d.FirstSeen) {
			d.FirstSeen = ts
		}
		return d
	}
	if len(inv.devices) >= inv.cfg.MaxDevices && !inv.evictUnproven() {
		inv.OverCap++
		return nil
	}
	d := &Device{IP: a.String(), FirstSeen: ts, LastSeen: ts, Trusted: inv.cfg.Trusted(a)}
	d.Name, d.Role = inv.cfg.DeviceInfo(a)
	inv.devices[a] = d
	inv.unproven.add(a)
	return d
}

func (inv *Inventory) evictUnproven() bool {
	a, ok := inv.unproven.next(func(a netip.Addr) bool {
		d := inv.devices[a]
		return d != nil && !d.proven
	})
	if ok {
		delete(inv.devices, a)
		inv.Evicted++
	}
	return ok
}

// FlowStart records both ends of a new flow.
func (inv *Inventory) FlowStart(f *app.Flow) {
	if c := inv.device(f.Client.Addr(), f.Start); c != nil {
		c.Flows++
		inv.addPort(c, &c.PortsUsed, f)
	}
	if s := inv.device(f.Server.Addr(), f.Start); s != nil {
		s.Flows++
		inv.addPort(s, &s.PortsServed, f)
	}
}

func (inv *Inventory) addPort(d *Device, m *map[string]uint64, f *app.Flow) {
	key := fmt.Sprintf("%s/%d", f.Transport, f.Server.Port())
	if *m == nil {
		*m = make(map[string]uint64)
	}
	if _, ok := (*m)[key]; !ok {
		if d.ports >= inv.cfg.MaxPortsPerDevice {
			key = "other"
		} else {
			d.ports++
		}
	}
	(*m)[key]++
}

// FlowEnd adds a finished flow's volumes to both ends.
func (inv *Inventory) FlowEnd(r *FlowRecord) {
	f := r.Flow
	c2s, s2c := app.ClientToServer, app.ServerToClient
	if c := inv.device(f.Client.Addr(), r.Last); c != nil {
		c.PacketsOut += r.Packets[c2s]
		c.BytesOut += r.Bytes[c2s]
		c.PacketsIn += r.Packets[s2c]
		c.BytesIn += r.Bytes[s2c]
		if c.MAC == "" && r.HasMAC[c2s] {
			c.MAC = net.HardwareAddr(r.MAC[c2s][:]).String()
		}
		c.proven = c.proven || conversed(r)
	}
	if s := inv.device(f.Server.Addr(), r.Last); s != nil {
		s.PacketsOut += r.Packets[s2c]
		s.BytesOut += r.Bytes[s2c]
		s.PacketsIn += r.Packets[c2s]
		s.BytesIn += r.Bytes[c2s]
		if s.MAC == "" && r.HasMAC[s2c] {
			s.MAC = net.HardwareAddr(r.MAC[s2c][:]).String()
		}
		s.proven = s.proven || answered(r)
	}
}

// Message records an application message against its sender.
func (inv *Inventory) Message(m *app.Message) {
	d := inv.device(m.Flow.Src(m.Dir).Addr(), m.TS)
	if d == nil {
		return
	}
	d.proven = true
	if d.Messages == nil {
		d.Messages = make(map[string]uint64)
	}
	d.Messages[m.App]++
	for _, id := range [...]struct{ what, v string }{
		{"sender", m.Sender}, {"device", m.Device}, {"software", m.Software},
	} {
		if v := cleanLabel(id.v, 64); v != "" {
			inv.addIdentity(d, m.App, id.what, v)
		}
	}
}

// addIdentity adds "app what value" unless present; the check builds no string,
// as it runs for every message.
func (inv *Inventory) addIdentity(d *Device, appName, what, v string) {
	n := len(appName) + len(what) + len(v) + 2
	for _, have := range d.Identities {
		if len(have) == n && have[:len(appName)] == appName && have[len(appName)+1:len(appName)+1+len(what)] == what &&
			have[n-len(v):] == v && have[len(appName)] == ' ' && have[len(appName)+1+len(what)] == ' ' {
			return
		}
	}
	if d.idents >= inv.cfg.MaxIdentities {
		return
	}
	d.idents++
	d.Identities = append(d.Identities, appName+" "+what+" "+v)
}

// Devices returns copies of all devices, sorted by address.
func (inv *Inventory) Devices() []Device {
	out := make([]Device, 0, len(inv.devices))
	addrs := make([]netip.Addr, 0, len(inv.devices))
	for a := range inv.devices {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	for _, a := range addrs {
		d := *inv.devices[a]
		d.PortsServed = cloneCounts(d.PortsServed)
		d.PortsUsed = cloneCounts(d.PortsUsed)
		d.Messages = cloneCounts(d.Messages)
		d.Identities = append([]string(nil), d.Identities...)
		out = append(out, d)
	}
	return out
}

func cloneCounts(m map[string]uint64) map[string]uint64 {
	if m == nil {
		return nil
	}
	c := make(map[string]uint64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// cleanLabel keeps a wire-supplied label only if it is short printable text, so
// that a malformed message cannot put arbitrary content into the inventory.
func cleanLabel(s string, max int) string {
	if len(s) > max {
		s = s[:max]
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return ""
		}
	}
	return s
}
