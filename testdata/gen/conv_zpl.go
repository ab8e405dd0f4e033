package gen

import (
	"strings"

	"labwatch/protocols/app"
)

// zplConv is a phlebotomy workstation printing specimen labels on a Zebra
// printer over raw TCP 9100: one job of one to three labels, written at once;
// the printer answers nothing.
type zplConv struct {
	station string
	done    bool
}

func (g *generator) newZPLConv(f *flow) conversation {
	ws := pick(g.r, g.topo.workstations)
	f.client, f.server, f.sport = ws, pick(g.r, g.topo.printers), portZPL
	return &zplConv{station: strings.ToUpper(ws.name)}
}

func (c *zplConv) next(g *generator, f *flow, x *exchange) bool {
	if c.done {
		return false
	}
	c.done = true
	gap := g.thinkGap(f)
	when := g.at(f, gap)
	p := g.patient()
	pn := pick(g.r, orderablePanels)
	for range g.r.between(1, 3) {
		start := x.offset(app.ClientToServer)
		x.data = appendLabel(x.data, p, p.accession(g.r), pn, when, c.station)
		x.markMessage(app.ClientToServer, start, "zpl", "label")
	}
	x.commit(app.ClientToServer, gap)
	return true
}
