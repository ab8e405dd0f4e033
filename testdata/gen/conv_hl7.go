package gen

import (
	"time"

	"labwatch/protocols/app"
)

// hl7Archetype is one kind of HL7 interface found in a lab. In each, the client
// (the side that connects) sends the messages and the server acknowledges them.
type hl7Archetype int

const (
	hl7AnalyzerResults  hl7Archetype = iota // analyzer → LIS:2575, ORU^R01
	hl7HISOrders                            // interface engine → LIS:2575, ADT^A01 and ORM^O01 from the HIS
	hl7ResultsToEHR                         // LIS → interface engine:6661, ORU^R01
	hl7OrdersToAnalyzer                     // LIS → analyzer:2575, OML^O21
	hl7RefLab                               // LIS → reference lab outside:6661, ORM^O01 send-outs
	hl7Archetypes
)

type hl7Conv struct {
	arch     hl7Archetype
	send     hl7Header // sender identity and version; control and time set per message
	recv     hl7Header
	analyzer *host // the analyzer at either end, if any
	// device names the analyzer in OBX-18 for results it sends.
	device string
	left   int
}

var refLabPanels = []*panel{panelImmuno, panelA1C, panelLipid}

func (g *generator) newHL7Conv(f *flow) conversation {
	t := g.topo
	c := &hl7Conv{arch: hl7Archetype(f.spec.variant), left: f.spec.count}
	lis := hl7Header{sendApp: "LIS", sendFac: "GENLAB"}
	switch c.arch {
	case hl7AnalyzerResults:
		a := t.analyzerFor(false, g.r)
		c.analyzer = a
		f.client, f.server, f.sport = a, t.lis, portHL7
		c.send = hl7Header{sendApp: a.model.app, sendFac: a.model.section, version: a.model.hl7Version}
		c.recv = lis
		c.device = a.model.app + "^" + a.serial
	case hl7HISOrders:
		f.client, f.server, f.sport = t.engine, t.lis, portHL7
		c.send = hl7Header{sendApp: "HIS", sendFac: "GENHOSP", version: "2.3"}
		c.recv = lis
	case hl7ResultsToEHR:
		f.client, f.server, f.sport = t.lis, t.engine, portHL7Alt
		c.send = lis
		c.send.version = "2.5.1"
		c.recv = hl7Header{sendApp: "EHR", sendFac: "GENHOSP"}
		c.device = "LIS^GENLAB"
	case hl7OrdersToAnalyzer:
		a := t.analyzerFor(false, g.r)
		c.analyzer = a
		f.client, f.server, f.sport = t.lis, a, portHL7
		c.send = lis
		c.send.version = "2.5.1"
		c.recv = hl7Header{sendApp: a.model.app, sendFac: a.model.section}
	case hl7RefLab:
		f.client, f.server, f.sport = t.lis, t.outside, portHL7Alt
		c.send = lis
		c.send.version = "2.4"
		c.recv = hl7Header{sendApp: "REFLAB", sendFac: "REFLABCO"}
	}
	c.recv.version = c.send.version
	return c
}

// next sends one message, or two in one write now and then, and the receiver's
// acknowledgements.
func (c *hl7Conv) next(g *generator, f *flow, x *exchange) bool {
	if c.left == 0 {
		return false
	}
	n := 1
	if c.left >= 2 && every(&g.n.hl7Batch, 6, 2) {
		n = 2
		g.truth.Events["hl7_two_in_one_write"]++
	}
	gap := g.thinkGap(f)
	when := g.at(f, gap)
	var controls [2]string
	var events [2]string
	for i := range n {
		h := c.send
		h.recvApp, h.recvFac = c.recv.sendApp, c.recv.sendFac
		h.when = when
		h.control = g.controlID(h.sendApp)
		controls[i] = h.control
		start := x.offset(app.ClientToServer)
		typ, event := c.appendMessage(g, x, &h)
		events[i] = event
		x.markMessage(app.ClientToServer, start, "hl7", typ)
		c.left--
	}
	x.commit(app.ClientToServer, gap)

	// The receiver parses, stores and answers within tens of milliseconds.
	proc := g.r.micros(4*time.Millisecond, 60*time.Millisecond)
	if f.spec.outbound {
		proc += g.r.micros(20*time.Millisecond, 120*time.Millisecond)
	}
	for i := range n {
		h := c.recv
		h.recvApp, h.recvFac = c.send.sendApp, c.send.sendFac
		h.when = when.Add(time.Duration(proc) * time.Microsecond)
		h.control = g.controlID(h.sendApp)
		reject := every(&g.n.hl7Ack, 23, 11)
		if reject {
			g.truth.Events["hl7_ae"]++
		}
		start := x.offset(app.ServerToClient)
		x.data = appendACK(x.data, &h, events[i], controls[i], reject)
		x.markMessage(app.ServerToClient, start, "hl7", "ACK")
	}
	x.commit(app.ServerToClient, proc)
	return true
}

// appendMessage writes the archetype's next message and returns its summary key
// and trigger event.
func (c *hl7Conv) appendMessage(g *generator, x *exchange, h *hl7Header) (typ, event string) {
	p := g.patient()
	o := hl7Order{patient: p, acc: p.accession(g.r), device: c.device}
	switch c.arch {
	case hl7AnalyzerResults:
		o.panel = pick(g.r, c.analyzer.model.panels)
		x.data = appendORU(x.data, h, &o, g.r)
		return "ORU^R01", "R01"
	case hl7ResultsToEHR:
		o.panel = pick(g.r, orderablePanels)
		if g.r.chance(0.3) {
			o.report = g.pdfReport(g.r.between(4<<10, 24<<10))
		}
		x.data = appendORU(x.data, h, &o, g.r)
		return "ORU^R01", "R01"
	case hl7HISOrders:
		if g.r.chance(0.4) {
			x.data = appendADT(x.data, h, p)
			return "ADT^A01", "A01"
		}
		o.panel = pick(g.r, orderablePanels)
		x.data = appendORM(x.data, h, &o)
		return "ORM^O01", "O01"
	case hl7OrdersToAnalyzer:
		o.panel = pick(g.r, c.analyzer.model.panels)
		x.data = appendOML(x.data, h, &o)
		return "OML^O21", "O21"
	default: // hl7RefLab
		o.panel = pick(g.r, refLabPanels)
		x.data = appendORM(x.data, h, &o)
		return "ORM^O01", "O01"
	}
}
