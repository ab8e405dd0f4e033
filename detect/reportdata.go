package detect

import (
	"net/netip"
	"sort"
	"time"
)

// Edge is one learned path between a device and a peer, seen from the client
// that opened it: who, which service, how often, and whether clear-text patient
// identifiers or credentials crossed it. It is what the report's communication
// map draws; it holds addresses, ports, application names and PHI kinds only.
type Edge struct {
	Client    string `json:"client"`
	Server    string `json:"server"`
	Transport string `json:"transport"`
	// Port is the server's service port; 0 stands for the dynamic range.
	Port  uint16 `json:"port"`
	Flows uint32 `json:"flows"`
	// Apps are the applications whose clear-text PHI or credentials were seen on
	// the path (the model learns applications of a path only through them).
	Apps          []string `json:"apps,omitempty"`
	CleartextPHI  bool     `json:"cleartext_phi"`
	PHIKinds      []string `json:"phi_kinds,omitempty"`
	Credentials   bool     `json:"cleartext_credentials"`
	ClientTrusted bool     `json:"client_trusted"`
	ServerTrusted bool     `json:"server_trusted"`
}

// HourVolume is one hour of day of one day type in a device's learned profile:
// how many hours were learned and the mean, spread and maximum of each volume
// metric (in the order of Metrics).
type HourVolume struct {
	DayType string              `json:"day_type"`
	Hour    int                 `json:"hour"`
	Learned uint16              `json:"learned_hours"`
	Active  uint16              `json:"active_hours"`
	Mean    [numMetrics]float64 `json:"mean"`
	SD      [numMetrics]float64 `json:"sd"`
	Max     [numMetrics]float64 `json:"max"`
}

// OpenHour is what each device did so far in the hour detection has not closed
// yet, by address, in the order of Metrics.
type OpenHour struct {
	Start   time.Time                      `json:"start"`
	DayType string                         `json:"day_type"`
	Hour    int                            `json:"hour"`
	Seen    map[string][numMetrics]float64 `json:"seen"`
}

// Edges returns every learned path, sorted by client, server and port. A path
// carrying clear-text PHI or credentials that the peer tables did not keep (a
// cap) is still listed, so the map never hides one.
func (e *Engine) Edges() []Edge {
	e.mu.Lock()
	defer e.mu.Unlock()
	type key struct {
		c, s netip.Addr
		t    string
		port uint16
	}
	edges := map[key]*Edge{}
	get := func(k key) *Edge {
		if ed := edges[k]; ed != nil {
			return ed
		}
		ed := &Edge{Client: k.c.String(), Server: k.s.String(), Transport: k.t, Port: k.port,
			ClientTrusted: e.cfg.Trusted(k.c), ServerTrusted: e.cfg.Trusted(k.s)}
		edges[k] = ed
		return ed
	}
	for a, d := range e.m.devices {
		for p, n := range d.peers {
			k := key{c: a, s: p.Addr, t: p.Proto.String(), port: p.Port}
			if !p.Out {
				k.c, k.s = p.Addr, a
				if e.m.devices[p.Addr] != nil {
					// The client is a device: its own table counts this path.
					continue
				}
			}
			get(k).Flows += n
		}
	}
	for k, p := range e.m.phiPaths {
		ed := get(key{c: k.Client, s: k.Server, t: "tcp", port: portKey(k.Port)})
		ed.CleartextPHI = true
		ed.Apps = addLabel(ed.Apps, k.App)
		for _, kind := range p.PHI.Kinds() {
			ed.PHIKinds = addLabel(ed.PHIKinds, kind)
		}
	}
	for k := range e.m.creds {
		ed := get(key{c: k.Client, s: k.Server, t: "tcp", port: portKey(k.Port)})
		ed.Credentials = true
		ed.Apps = addLabel(ed.Apps, k.App)
	}
	out := make([]Edge, 0, len(edges))
	for _, ed := range edges {
		sort.Strings(ed.Apps)
		sort.Strings(ed.PHIKinds)
		out = append(out, *ed)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Client != b.Client {
			return a.Client < b.Client
		}
		if a.Server != b.Server {
			return a.Server < b.Server
		}
		if a.Port != b.Port {
			return a.Port < b.Port
		}
		return a.Transport < b.Transport
	})
	return out
}

// portKey maps a server port to the service port peers are learned by.
func portKey(p uint16) uint16 {
	if p >= 49152 {
		return 0
	}
	return p
}

func addLabel(list []string, v string) []string {
	for _, have := range list {
		if have == v {
			return list
		}
	}
	return append(list, v)
}

// VolumeProfiles returns each device's learned hour-of-day profile, by address:
// only the hours learned at least once, weekday before weekend.
func (e *Engine) VolumeProfiles() map[string][]HourVolume {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string][]HourVolume, len(e.m.devices))
	for a, d := range e.m.devices {
		var hv []HourVolume
		for dt := range d.prof {
			for h := range d.prof[dt] {
				s := &d.prof[dt][h]
				if s.N == 0 {
					continue
				}
				v := HourVolume{DayType: dayTypeNames[dt], Hour: h, Learned: s.N, Active: s.Active}
				for m := metric(0); m < numMetrics; m++ {
					v.Mean[m], v.SD[m], v.Max[m] = s.mean(m), s.sd(m), float64(s.M[m].Max)
				}
				hv = append(hv, v)
			}
		}
		out[a.String()] = hv
	}
	return out
}

// CurrentHour returns the volumes of the hour still open, per device that did
// anything in it. Start is zero before the first event.
func (e *Engine) CurrentHour() OpenHour {
	e.mu.Lock()
	defer e.mu.Unlock()
	oh := OpenHour{Seen: map[string][numMetrics]float64{}}
	if e.now.IsZero() {
		return oh
	}
	oh.Start = hourStart(e.hour)
	dt, hr := slotOf(e.hour, e.loc)
	oh.DayType, oh.Hour = dayTypeNames[dt], hr
	for a, d := range e.m.devices {
		if d.cur.active() || d.cur[bytesOut]+d.cur[bytesIn] > 0 {
			oh.Seen[a.String()] = d.cur
		}
	}
	return oh
}
