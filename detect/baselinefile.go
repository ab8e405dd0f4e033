package detect

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"labwatch/protocols/app"
)

// BaselineFile is the saved form of what detection learned, and what
// `labwatch baseline show` prints. It holds addresses, services, message types,
// sending applications and PHI kinds — never a patient value.
type BaselineFile struct {
	Saved    time.Time `json:"saved"`
	Sensor   string    `json:"sensor"`
	TimeZone string    `json:"timezone"`
	// Learn is the learning window of the run that saved the file; Observed is the
	// capture time learned so far (complete when Observed >= Learn).
	Learn       Duration         `json:"learn"`
	Observed    Duration         `json:"observed"`
	Devices     []DeviceBaseline `json:"devices"`
	PHIPaths    []PathBaseline   `json:"cleartext_phi_paths,omitempty"`
	Credentials []PathBaseline   `json:"cleartext_credential_paths,omitempty"`
	// Insecure lists the obsolete or clear-text protocols already reported per
	// device (format version 2).
	Insecure []InsecureBaseline `json:"insecure_protocols,omitempty"`
}

// InsecureBaseline is one device and insecure protocol already reported.
type InsecureBaseline struct {
	Device   string    `json:"device"`
	Protocol string    `json:"protocol"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	Count    uint64    `json:"count"`
}

// Duration is a time.Duration written as "72h0m0s".
type Duration time.Duration

// MarshalText writes the duration in Go's notation.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads the duration in Go's notation.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	*d = Duration(v)
	return err
}

// DeviceBaseline is one device's learned behaviour.
type DeviceBaseline struct {
	IP        string    `json:"ip"`
	MAC       string    `json:"mac,omitempty"`
	Name      string    `json:"name,omitempty"`
	Role      string    `json:"role,omitempty"`
	Hostname  string    `json:"dhcp_hostname,omitempty"`
	DNSName   string    `json:"dns_name,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// JudgedFrom is the observed capture time from which the device is judged.
	JudgedFrom Duration          `json:"judged_from"`
	Peers      []PeerBaseline    `json:"peers,omitempty"`
	Services   []ServiceBaseline `json:"services,omitempty"`
	// Known counts messages per "app kind value": "hl7 type ORU^R01",
	// "hl7 sender LAB^HOSP", "dicom sop_class 1.2.840…".
	Known   map[string]uint32 `json:"known,omitempty"`
	OverCap uint32            `json:"over_cap,omitempty"`
	Profile []SlotBaseline    `json:"profile,omitempty"`
	// Software is what the device revealed of its software and firmware, by
	// slot (format version 2): compared across restarts for version_change.
	Software []SoftwareIdentity `json:"software,omitempty"`
}

// PeerBaseline is a host and service a device talked to.
type PeerBaseline struct {
	Addr      string `json:"addr"`
	Port      uint16 `json:"port"` // 0: the dynamic port range
	Transport string `json:"transport"`
	Outbound  bool   `json:"outbound"`
	Flows     uint32 `json:"flows"`
}

// ServiceBaseline is a port a device offered or used.
type ServiceBaseline struct {
	Port      uint16 `json:"port"`
	Transport string `json:"transport"`
	Offered   bool   `json:"offered"`
	Flows     uint32 `json:"flows"`
}

// SlotBaseline is one hour of day on one day type. Metric arrays follow Metrics.
type SlotBaseline struct {
	DayType string              `json:"day_type"`
	Hour    int                 `json:"hour"`
	N       uint16              `json:"n"`
	Active  uint16              `json:"active"`
	Sum     [numMetrics]float32 `json:"sum"`
	SumSq   [numMetrics]float32 `json:"sum_sq"`
	Min     [numMetrics]float32 `json:"min"`
	Max     [numMetrics]float32 `json:"max"`
}

// Metrics names the volume metrics of SlotBaseline's arrays, in order.
var Metrics = metricNames

// PathBaseline is a clear-text PHI or credential path already reported.
type PathBaseline struct {
	Client   string    `json:"client"`
	Server   string    `json:"server"`
	Port     uint16    `json:"port"`
	App      string    `json:"app"`
	UserHash string    `json:"user_hash,omitempty"`
	PHI      []string  `json:"phi_kinds,omitempty"`
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
	Count    uint64    `json:"count"`
}

// export copies the model into its saved form, sorted for stable output.
func (e *Engine) export() *BaselineFile {
	bf := &BaselineFile{
		Saved: e.now, Sensor: e.cfg.Sensor, TimeZone: e.cfg.TimeZone,
		Learn: Duration(e.cfg.Learn), Observed: Duration(e.m.observed.Round(time.Second)),
	}
	addrs := make([]netip.Addr, 0, len(e.m.devices))
	for a := range e.m.devices {
		addrs = append(addrs, a)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	for _, a := range addrs {
		bf.Devices = append(bf.Devices, exportDevice(a, e.m.devices[a]))
	}
	bf.PHIPaths = exportPaths(e.m.phiPaths)
	bf.Credentials = exportPaths(e.m.creds)
	bf.Insecure = exportInsecure(e.m.insecure)
	return bf
}

func exportDevice(a netip.Addr, d *devModel) DeviceBaseline {
	db := DeviceBaseline{
		IP: a.String(), MAC: d.mac, Name: d.name, Role: d.role, Hostname: d.hostname, DNSName: d.dnsName, FirstSeen: d.firstSeen, LastSeen: d.lastSeen,
		JudgedFrom: Duration(d.judgeFrom), OverCap: d.overCap, Software: d.softwareList(),
	}
	for p, n := range d.peers {
		db.Peers = append(db.Peers, PeerBaseline{Addr: p.Addr.String(), Port: p.Port, Transport: p.Proto.String(), Outbound: p.Out, Flows: n})
	}
	sort.Slice(db.Peers, func(i, j int) bool {
		a, b := db.Peers[i], db.Peers[j]
		if a.Port != b.Port {
			return a.Port < b.Port
		}
		if a.Addr != b.Addr {
			return a.Addr < b.Addr
		}
		return a.Outbound && !b.Outbound || a.Transport < b.Transport
	})
	for s, n := range d.services {
		db.Services = append(db.Services, ServiceBaseline{Port: s.Port, Transport: s.Proto.String(), Offered: s.Offer, Flows: n})
	}
	sort.Slice(db.Services, func(i, j int) bool {
		a, b := db.Services[i], db.Services[j]
		if a.Offered != b.Offered {
			return a.Offered
		}
		if a.Port != b.Port {
			return a.Port < b.Port
		}
		return a.Transport < b.Transport
	})
	if len(d.known) > 0 {
		db.Known = make(map[string]uint32, len(d.known))
		for k, v := range d.known {
			db.Known[k.String()] = v
		}
	}
	for dt := range d.prof {
		for h := range d.prof[dt] {
			s := &d.prof[dt][h]
			if s.N == 0 {
				continue
			}
			sb := SlotBaseline{DayType: dayTypeNames[dt], Hour: h, N: s.N, Active: s.Active}
			for m, st := range s.M {
				sb.Sum[m], sb.SumSq[m], sb.Min[m], sb.Max[m] = st.Sum, st.SumSq, st.Min, st.Max
			}
			db.Profile = append(db.Profile, sb)
		}
	}
	return db
}

func exportPaths(m map[pathKey]*pathInfo) []PathBaseline {
	out := make([]PathBaseline, 0, len(m))
	for k, p := range m {
		out = append(out, PathBaseline{
			Client: k.Client.String(), Server: k.Server.String(), Port: k.Port, App: k.App, UserHash: k.User,
			PHI: p.PHI.Kinds(), First: p.First, Last: p.Last, Count: p.Count,
		})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return fmt.Sprint(a.Client, a.Server, a.Port, a.App, a.UserHash) < fmt.Sprint(b.Client, b.Server, b.Port, b.App, b.UserHash)
	})
	return out
}

// toModel checks a decoded file and builds the model from it, within cfg's caps.
func (bf *BaselineFile) toModel(cfg *Config) (*model, error) {
	if bf.Observed < 0 {
		return nil, fmt.Errorf("observed time is negative")
	}
	m := newModel()
	m.observed = time.Duration(bf.Observed)
	for i := range bf.Devices {
		db := &bf.Devices[i]
		a, err := netip.ParseAddr(db.IP)
		if err != nil {
			return nil, fmt.Errorf("device %d: bad address", i)
		}
		if _, dup := m.devices[a]; dup {
			return nil, fmt.Errorf("device %s listed twice", a)
		}
		if len(m.devices) >= cfg.MaxDevices {
			break
		}
		d, err := db.toDevice(cfg)
		if err != nil {
			return nil, fmt.Errorf("device %s: %w", a, err)
		}
		m.devices[a] = d
	}
	if err := importPaths(bf.PHIPaths, m.phiPaths, cfg.MaxPaths); err != nil {
		return nil, fmt.Errorf("cleartext_phi_paths: %w", err)
	}
	if err := importPaths(bf.Credentials, m.creds, cfg.MaxPaths); err != nil {
		return nil, fmt.Errorf("cleartext_credential_paths: %w", err)
	}
	if err := importInsecure(bf.Insecure, m.insecure, cfg.MaxPaths); err != nil {
		return nil, fmt.Errorf("insecure_protocols: %w", err)
	}
	return m, nil
}

func (db *DeviceBaseline) toDevice(cfg *Config) (*devModel, error) {
	d := &devModel{
		judgeFrom: time.Duration(db.JudgedFrom), firstSeen: db.FirstSeen, lastSeen: db.LastSeen,
		mac: cleanLabel(db.MAC, 32), name: cleanLabel(db.Name, 64), role: cleanLabel(db.Role, 32),
		hostname: cleanLabel(db.Hostname, 64), dnsName: cleanLabel(db.DNSName, 64),
		overCap: db.OverCap, unusualHour: -1, proven: true,
		peers: map[peerKey]uint32{}, services: map[serviceKey]uint32{}, known: map[kindKey]uint32{},
	}
	for _, p := range db.Peers {
		a, err := netip.ParseAddr(p.Addr)
		if err != nil {
			return nil, fmt.Errorf("peer: bad address")
		}
		t, err := parseTransport(p.Transport)
		if err != nil {
			return nil, err
		}
		if len(d.peers) < cfg.MaxPeersPerDevice {
			d.peers[peerKey{Addr: a, Port: p.Port, Proto: t, Out: p.Outbound}] = p.Flows
		}
	}
	for _, s := range db.Services {
		t, err := parseTransport(s.Transport)
		if err != nil {
			return nil, err
		}
		if len(d.services) < cfg.MaxPortsPerDevice {
			d.services[serviceKey{Port: s.Port, Proto: t, Offer: s.Offered}] = s.Flows
		}
	}
	for k, v := range db.Known {
		parts := strings.SplitN(k, " ", 3)
		if len(parts) != 3 || cleanLabel(k, 256) != k {
			return nil, fmt.Errorf("known: malformed entry")
		}
		if len(d.known) < cfg.MaxKnownTypes {
			d.known[kindKey{parts[0], parts[1], parts[2]}] = v
		}
	}
	if err := importSoftware(db.Software, d, cfg.MaxIdentities); err != nil {
		return nil, err
	}
	for _, sb := range db.Profile {
		var dt int
		switch {
		case sb.DayType == dayTypeNames[weekday]:
			dt = weekday
		case sb.DayType == dayTypeNames[weekend]:
			dt = weekend
		default:
			return nil, fmt.Errorf("profile: unknown day type")
		}
		if sb.Hour < 0 || sb.Hour > 23 || sb.Active > sb.N {
			return nil, fmt.Errorf("profile: bad slot")
		}
		s := &d.prof[dt][sb.Hour]
		s.N, s.Active = sb.N, sb.Active
		for m := range s.M {
			for _, v := range [...]float32{sb.Sum[m], sb.SumSq[m], sb.Min[m], sb.Max[m]} {
				if !(v >= 0) || v > 3e38 {
					return nil, fmt.Errorf("profile: bad value")
				}
			}
			s.M[m] = stat{Sum: sb.Sum[m], SumSq: sb.SumSq[m], Min: sb.Min[m], Max: sb.Max[m]}
		}
	}
	return d, nil
}

func importPaths(in []PathBaseline, out map[pathKey]*pathInfo, maxPaths int) error {
	for _, p := range in {
		c, err1 := netip.ParseAddr(p.Client)
		s, err2 := netip.ParseAddr(p.Server)
		if err1 != nil || err2 != nil {
			return fmt.Errorf("bad address")
		}
		var phi app.PHISet
		for _, k := range p.PHI {
			kind, ok := phiKindByName(k)
			if !ok {
				return fmt.Errorf("unknown PHI kind")
			}
			phi.Add(kind)
		}
		if len(out) < maxPaths {
			k := pathKey{Client: c, Server: s, Port: p.Port, App: cleanLabel(p.App, 32), User: hashLabel(p.UserHash)}
			out[k] = &pathInfo{First: p.First, Last: p.Last, Count: p.Count, PHI: phi}
		}
	}
	return nil
}

func phiKindByName(name string) (app.PHIKind, bool) {
	for i := 0; i < 32; i++ {
		k := app.PHIKind(1 << i)
		if k.String() == name {
			return k, true
		}
	}
	return 0, false
}

func parseTransport(s string) (app.Transport, error) {
	switch s {
	case "tcp":
		return app.TCP, nil
	case "udp":
		return app.UDP, nil
	}
	return 0, fmt.Errorf("unknown transport")
}

func durationString(d Duration) string { return time.Duration(d).String() }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func exportInsecure(m map[insecureKey]*pathInfo) []InsecureBaseline {
	out := make([]InsecureBaseline, 0, len(m))
	for k, p := range m {
		out = append(out, InsecureBaseline{Device: k.Device.String(), Protocol: k.Proto, First: p.First, Last: p.Last, Count: p.Count})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Device != out[j].Device {
			return out[i].Device < out[j].Device
		}
		return out[i].Protocol < out[j].Protocol
	})
	return out
}

func importInsecure(in []InsecureBaseline, out map[insecureKey]*pathInfo, maxPaths int) error {
	for _, p := range in {
		a, err := netip.ParseAddr(p.Device)
		proto := cleanLabel(p.Protocol, 32)
		if err != nil || proto == "" {
			return fmt.Errorf("bad entry")
		}
		if len(out) < maxPaths {
			out[insecureKey{a.Unmap(), proto}] = &pathInfo{First: p.First, Last: p.Last, Count: p.Count}
		}
	}
	return nil
}

// importSoftware loads a device's software slots; labels are checked as the
// wire's are, so that a hand-edited file cannot smuggle in other content.
func importSoftware(in []SoftwareIdentity, d *devModel, maxIdentities int) error {
	for _, s := range in {
		k := swKey{cleanLabel(s.App, 32), cleanLabel(s.Kind, 32), cleanLabel(s.Context, 64)}
		v := cleanLabel(s.Value, 64)
		if k.App != s.App || k.Kind != s.Kind || k.Context != s.Context || v != s.Value || v == "" || k.App == "" || k.Kind == "" {
			return fmt.Errorf("software: malformed entry")
		}
		if d.software == nil {
			d.software = map[swKey]*swInfo{}
		}
		if len(d.software) < maxIdentities {
			d.software[k] = &swInfo{Value: v, First: s.First, Last: s.Last, Count: s.Count}
		}
	}
	return nil
}
