package gen

import (
	"time"

	"labwatch/protocols/app"
)

type astmKind uint8

const (
	astmResult astmKind = iota
	astmQuery
	astmOrder
	astmOther
)

// astmKey is the summary key of each kind (DESIGN.md).
var astmKey = [...]string{astmResult: "result", astmQuery: "query", astmOrder: "order", astmOther: "other"}

// astmCycle is the order of session kinds; a fixed cycle gives small captures
// every kind.
var astmCycle = [...]astmKind{astmResult, astmResult, astmQuery, astmResult, astmOrder, astmResult, astmOther}

// astmConv is an analyzer connected to the LIS on TCP 5000. Either side may open
// a session (ENQ … EOT) on the line: the analyzer sends results, queries and
// status; the LIS sends orders, unsolicited or in answer to a query.
type astmConv struct {
	analyzer *host
	sender   string // H-5 of the analyzer's messages
	left     int
	// a host query waiting for the LIS's answer
	queried    *patient
	queriedAcc string
	recs       astmRecords
}

func (g *generator) newASTMConv(f *flow) conversation {
	a := g.topo.analyzerFor(true, g.r)
	f.client, f.server, f.sport = a, g.topo.lis, portASTM
	return &astmConv{
		analyzer: a,
		sender:   a.model.name + "^" + a.model.software + "^" + a.serial,
		left:     f.spec.count,
	}
}

func (c *astmConv) next(g *generator, f *flow, x *exchange) bool {
	if c.queried != nil {
		// The LIS answers the host query with the order it holds.
		gap := g.r.micros(40*time.Millisecond, 250*time.Millisecond)
		when := g.at(f, gap)
		pn := pick(g.r, c.analyzer.model.panels)
		c.recs.reset()
		c.recs.header("LIS^GENLAB", c.analyzer.model.name, "P", when)
		c.recs.patientRec(1, c.queried)
		c.recs.orderRec(1, c.queriedAcc, pn.tests, when, pn.specimen, "Q")
		c.recs.terminator()
		c.queried = nil
		c.session(g, x, app.ServerToClient, gap, astmOrder)
		return true
	}
	if c.left == 0 {
		return false
	}
	c.left--
	kind := astmCycle[g.n.astmKind%len(astmCycle)]
	g.n.astmKind++
	gap := g.thinkGap(f)
	when := g.at(f, gap)
	c.recs.reset()
	dir := app.ClientToServer
	switch kind {
	case astmResult:
		p := g.patient()
		pn := pick(g.r, c.analyzer.model.panels)
		c.recs.header(c.sender, "LIS", "P", when)
		c.recs.patientRec(1, p)
		c.recs.orderRec(1, p.accession(g.r), pn.tests, when, pn.specimen, "F")
		for i := range pn.tests {
			if flag := c.recs.resultRec(i+1, &pn.tests[i], when, c.analyzer.serial, g.r); flag != "N" {
				c.recs.commentRec(1, "Result checked^Rerun confirmed")
			}
		}
		if pn == panelCBC {
			// Hematology analyzers attach histograms; these records run over
			// one frame and continue in ETB frames.
			c.recs.manufacturerRec(1, "HISTOGRAM^WBC", g.blob(g.r.between(300, 700)))
		}
		c.recs.terminator()
	case astmQuery:
		p := g.patient()
		c.queried, c.queriedAcc = p, p.accession(g.r)
		c.recs.header(c.sender, "LIS", "P", when)
		c.recs.queryRec(1, c.queriedAcc)
		c.recs.terminator()
	case astmOrder:
		p := g.patient()
		pn := pick(g.r, c.analyzer.model.panels)
		c.recs.header("LIS^GENLAB", c.analyzer.model.name, "P", when)
		c.recs.patientRec(1, p)
		c.recs.orderRec(1, p.accession(g.r), pn.tests, when, pn.specimen, "O")
		c.recs.terminator()
		dir = app.ServerToClient
	case astmOther:
		c.recs.header(c.sender, "LIS", "P", when)
		c.recs.manufacturerRec(1, "STATUS", []byte("READY^REAGENTS OK^QC PASSED"))
		c.recs.terminator()
	}
	c.session(g, x, dir, gap, kind)
	return true
}

// session writes one LIS01-A2 transfer from direction s: ENQ, then each record in
// as many frames as it needs, each frame acknowledged (now and then after a NAK
// and a repeat), then EOT.
func (c *astmConv) session(g *generator, x *exchange, s app.Direction, gap int64, kind astmKind) {
	r := s.Reverse()
	x.writeByte(s, gap, enq)
	x.writeByte(r, g.astmReplyDelay(), ack)
	start := x.offset(s)
	fn := 1
	prev := 0
	for _, end := range c.recs.ends {
		rec := c.recs.buf[prev:end]
		prev = end
		for len(rec) > 0 {
			n := min(len(rec), astmMaxText)
			frameStart := len(x.data)
			x.data = appendFrame(x.data, fn, rec[:n], n == len(rec))
			frameEnd := len(x.data)
			x.commit(s, g.astmSendDelay())
			if every(&g.n.astmFrame, 97, 50) {
				x.writeByte(r, g.astmReplyDelay(), nak)
				x.data = append(x.data, x.data[frameStart:frameEnd]...)
				x.commit(s, g.astmSendDelay())
				g.truth.Events["astm_nak"]++
			}
			x.writeByte(r, g.astmReplyDelay(), ack)
			fn = (fn + 1) % 8
			rec = rec[n:]
		}
	}
	x.markMessage(s, start, "astm", astmKey[kind])
	x.writeByte(s, g.astmSendDelay(), eot)
}

func (g *generator) astmReplyDelay() int64 {
	return g.r.micros(500*time.Microsecond, 6*time.Millisecond)
}

func (g *generator) astmSendDelay() int64 {
	return g.r.micros(300*time.Microsecond, 4*time.Millisecond)
}
