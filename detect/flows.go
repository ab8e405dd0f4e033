package detect

import (
	"fmt"
	"net/netip"
	"time"

	"labwatch/protocols/app"
)

// backgroundPorts are infrastructure services every host uses at any hour; they
// do not make a device "active" for volumes and hours of activity.
var backgroundPorts = map[uint16]bool{53: true, 67: true, 68: true, 123: true, 137: true, 138: true, 5353: true, 1900: true}

func background(f *app.Flow) bool { return backgroundPorts[f.Server.Port()] }

// servicePort is the port a flow's service is known by. Ports in the dynamic
// range (FTP data, RPC callbacks) are one "ephemeral" service, so that a fresh
// port number is never news.
func servicePort(f *app.Flow) uint16 {
	if p := f.Server.Port(); p < 49152 {
		return p
	}
	return 0
}

// flowStart counts the connection, checks the hour, and judges (or learns) the
// client's peer and service.
func (e *Engine) flowStart(f *app.Flow) {
	c, s := f.Client.Addr().Unmap(), f.Server.Addr().Unmap()
	cd := e.activeDevice(c, f.Start, f)
	sd := e.device(s)
	port := servicePort(f)
	pk := peerKey{Addr: s, Port: port, Proto: f.Transport, Out: true}
	if cd != nil {
		_, familiar := cd.peers[pk]
		if e.judged(cd) && !familiar {
			e.scanTarget(c, s, f.Server.Port(), f.Start, f)
		}
		if !background(f) {
			cd.cur[connsOut]++
			e.unusualTime(c, cd, f.Start, f, "")
		}
		e.clientView(c, cd, pk, f, sd)
	}
	if sd != nil && !background(f) {
		sd.cur[connsIn]++
	}
}

// flowEnd adds the volumes of a finished flow, learns the link-layer address,
// judges the server side of an answered flow, and counts unanswered ones as
// probes.
func (e *Engine) flowEnd(r *FlowRecord) {
	f := r.Flow
	if f == nil {
		return
	}
	c, s := f.Client.Addr().Unmap(), f.Server.Addr().Unmap()
	// Bytes already reported by FlowProgress were counted in their hours; the
	// rest goes to this one. A flow that lasted over an hour and was never
	// reported cannot be placed in one hour: its bytes stay in the inventory
	// only (its messages were counted as they came).
	short := r.Last.Sub(f.Start) <= time.Hour || r.Reported != [2]uint64{}
	rest := [2]uint64{r.Bytes[0] - min(r.Reported[0], r.Bytes[0]), r.Bytes[1] - min(r.Reported[1], r.Bytes[1])}
	cd := e.device(c)
	if cd != nil {
		if short && !background(f) {
			cd.cur[bytesOut] += float64(rest[app.ClientToServer])
			cd.cur[bytesIn] += float64(rest[app.ServerToClient])
		}
		if cd.mac == "" && r.HasMAC[app.ClientToServer] {
			cd.mac = macString(r.MAC[app.ClientToServer])
		}
		if conversed(r) {
			cd.proven = true
		}
	}
	if answered(r) {
		sd := e.activeDevice(s, r.Last, f)
		if sd != nil {
			sd.proven = true
			if short && !background(f) {
				sd.cur[bytesOut] += float64(rest[app.ServerToClient])
				sd.cur[bytesIn] += float64(rest[app.ClientToServer])
			}
			if sd.mac == "" && r.HasMAC[app.ServerToClient] {
				sd.mac = macString(r.MAC[app.ServerToClient])
			}
			e.serverView(s, sd, f, r.Last, cd)
		}
		return
	}
	e.scanTarget(c, s, f.Server.Port(), r.Last, f)
}

// clientView judges and learns what the client of a flow used: a service port
// it never used is new_service; a known service on a host it never reached is
// new_peer. A peer that is itself a device still learning (a new device, which
// raised new_device) is not news twice.
func (e *Engine) clientView(c netip.Addr, d *devModel, pk peerKey, f *app.Flow, peer *devModel) {
	svc := serviceKey{Port: pk.Port, Proto: pk.Proto}
	if e.scanning(c, f.Start) {
		// A scan's targets are reported by the scan alert and are not learned.
		return
	}
	_, knownSvc := d.services[svc]
	_, knownPeer := d.peers[pk]
	if e.judged(d) && (peer == nil || e.judged(peer)) {
		switch {
		case !knownSvc:
			e.novelService(c, d, svc, f, f.Start, "uses")
		case !knownPeer:
			e.novelPeer(c, d, pk, f, f.Start)
		}
	}
	e.learnPeer(d, pk, svc)
}

// serverView judges and learns what the server of an answered flow offered:
// a port it never served is new_service; a client from outside the devices
// (which would have judged the flow from its side) is new_peer.
func (e *Engine) serverView(s netip.Addr, d *devModel, f *app.Flow, ts time.Time, client *devModel) {
	port := servicePort(f)
	svc := serviceKey{Port: port, Proto: f.Transport, Offer: true}
	pk := peerKey{Addr: f.Client.Addr().Unmap(), Port: port, Proto: f.Transport}
	_, knownSvc := d.services[svc]
	_, knownPeer := d.peers[pk]
	if e.judged(d) && (client == nil || e.judged(client)) {
		switch {
		case !knownSvc:
			e.novelService(s, d, svc, f, ts, "offers")
		case !knownPeer && client == nil:
			e.novelPeer(s, d, pk, f, ts)
		}
	}
	e.learnPeer(d, pk, svc)
}

// learnPeer adds a peer and a service to a device, within the caps.
func (e *Engine) learnPeer(d *devModel, pk peerKey, svc serviceKey) {
	if d.peers == nil {
		d.peers = map[peerKey]uint32{}
		d.services = map[serviceKey]uint32{}
	}
	if n, ok := d.peers[pk]; ok || len(d.peers) < e.cfg.MaxPeersPerDevice {
		d.peers[pk] = n + 1
	} else {
		d.overCap++
		e.dropped["peers_over_cap"]++
	}
	if n, ok := d.services[svc]; ok || len(d.services) < e.cfg.MaxPortsPerDevice {
		d.services[svc] = n + 1
	} else {
		d.overCap++
		e.dropped["services_over_cap"]++
	}
}

func (e *Engine) novelService(a netip.Addr, d *devModel, svc serviceKey, f *app.Flow, ts time.Time, verb string) {
	al := flowAlert(AlertNewService, ts, a, f)
	name := serviceName(svc.Proto, svc.Port)
	known := d.serviceList(svc.Offer)
	al.Summary = fmt.Sprintf("%s %s %s for the first time; learned %s: %s", a, verb, name, verb, joinOrNone(known))
	peer := f.Server.Addr().Unmap()
	if svc.Offer {
		peer = f.Client.Addr().Unmap()
	}
	al.Severity = e.severity(SeverityMedium, a, peer)
	al.Details = map[string]any{"service": name, "role": verb, "expected": known, "peer": peer.String()}
	e.raise(al, verb+" "+name)
}

func (e *Engine) novelPeer(a netip.Addr, d *devModel, pk peerKey, f *app.Flow, ts time.Time) {
	al := flowAlert(AlertNewPeer, ts, a, f)
	name := serviceName(pk.Proto, pk.Port)
	n := d.peersOn(pk.Port, pk.Proto, pk.Out)
	dir := "connected to"
	if !pk.Out {
		dir = "was reached from"
	}
	al.Summary = fmt.Sprintf("%s %s %s on %s for the first time; it knew %d peer(s) on that service", a, dir, pk.Addr, name, n)
	al.Severity = e.severity(SeverityMedium, a, pk.Addr)
	al.Details = map[string]any{
		"peer": pk.Addr.String(), "service": name, "outbound": pk.Out,
		"known_peers_on_service": n, "peer_trusted": e.cfg.Trusted(pk.Addr),
	}
	// New peers on one service merge within the dedup window (a burst of them
	// is one finding with a count).
	e.raise(al, fmt.Sprintf("%s %v", name, pk.Out))
}

func serviceName(t app.Transport, port uint16) string {
	if port == 0 {
		return t.String() + "/ephemeral"
	}
	return fmt.Sprintf("%s/%d", t, port)
}
