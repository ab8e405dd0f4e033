package gen

import (
	"time"

	"labwatch/protocols/app"
)

// openDNS queues one DNS lookup: a query from a lab host to the DNS server and
// its answer, a UDP conversation of its own.
func (g *generator) openDNS(f *flow, start int64) error {
	f.transport = app.UDP
	f.client = pick(g.r, g.dnsClients)
	f.server, f.sport = g.topo.dns, portDNS
	f.cport = f.client.ephemeralPort()
	name := pick(g.r, g.dnsNames)
	id := uint16(g.r.Uint32())
	q, err := g.dnsb.query(id, name.name)
	if err != nil {
		return err
	}
	f.buf = append(f.buf[:0], q...)
	split := len(f.buf)
	resp, err := g.dnsb.response(id, name)
	if err != nil {
		return err
	}
	f.buf = append(f.buf, resp...)
	answer := start + g.r.micros(200*time.Microsecond, 2*time.Millisecond)
	f.q = append(f.q[:0],
		pkt{ts: start, dir: app.ClientToServer, payload: f.buf[:split]},
		pkt{ts: answer, dir: app.ServerToClient, payload: f.buf[split:]})
	f.head = 0
	g.truth.count(g.truth.Messages, "dns", "query")
	g.truth.count(g.truth.Messages, "dns", "response")
	if name.addr == nil {
		g.truth.Events["dns_nxdomain"]++
	}
	return nil
}
