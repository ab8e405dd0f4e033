package gen

import (
	"time"

	"labwatch/protocols/app"
)

// tlsArchetype is one kind of encrypted connection in the lab.
type tlsArchetype int

const (
	tlsWebLIS tlsArchetype = iota // workstation → LIS web client on 443
	tlsRefLab                     // LIS → reference-lab portal outside, 443
	tlsMLLPS                      // interface engine → LIS, HL7 over TLS on 6443
	tlsArchetypes
)

var webALPN = []string{"h2", "http/1.1"}

// tlsConv is a TLS 1.3 handshake followed by a few opaque request/response
// exchanges.
type tlsConv struct {
	arch     tlsArchetype
	sni      string
	alpn     []string
	step     int
	requests int
}

func (g *generator) newTLSConv(f *flow) conversation {
	t := g.topo
	c := &tlsConv{arch: tlsArchetype(f.spec.variant), requests: g.r.between(1, 4)}
	switch c.arch {
	case tlsWebLIS:
		f.client, f.server, f.sport = pick(g.r, t.workstations), t.lis, portHTTPS
		c.sni, c.alpn = "lis.lab.example.org", webALPN
	case tlsRefLab:
		f.client, f.server, f.sport = t.lis, t.outside, portHTTPS
		c.sni, c.alpn = "results.reflab.example.net", webALPN
	case tlsMLLPS:
		f.client, f.server, f.sport = t.engine, t.lis, portHL7TLS
		c.sni = "lis-hl7.lab.example.org"
	}
	return c
}

func (c *tlsConv) next(g *generator, f *flow, x *exchange) bool {
	defer func() { c.step++ }()
	cs, sc := app.ClientToServer, app.ServerToClient
	if c.step == 0 {
		random := g.noiseAt(96)
		start := x.offset(cs)
		x.data = appendClientHello(x.data, c.sni, c.alpn, random)
		x.markMessage(cs, start, "tls", "client_hello")
		x.commit(cs, g.thinkGap(f))

		start = x.offset(sc)
		x.data = appendServerHello(x.data, random[32:64], g.noiseAt(64))
		x.markMessage(sc, start, "tls", "server_hello")
		x.data = appendChangeCipherSpec(x.data)
		// EncryptedExtensions, Certificate, CertificateVerify, Finished.
		x.data = appendAppData(x.data, g.r.between(2600, 4200), g.noise)
		x.commit(sc, g.r.micros(time.Millisecond, 4*time.Millisecond))

		x.data = appendChangeCipherSpec(x.data)
		x.data = appendAppData(x.data, 53, g.noise) // client Finished
		x.commit(cs, g.r.micros(500*time.Microsecond, 2*time.Millisecond))
		return true
	}
	if c.step > c.requests {
		return false
	}
	req, resp := g.r.between(180, 900), g.r.between(300, 16000)
	if c.arch == tlsMLLPS {
		req, resp = g.r.between(700, 3200), g.r.between(160, 260) // an HL7 message and its ACK
	}
	x.data = appendAppData(x.data, req, g.noise)
	x.commit(cs, g.thinkGap(f))
	x.data = appendAppData(x.data, resp, g.noise)
	x.commit(sc, g.r.micros(2*time.Millisecond, 40*time.Millisecond))
	return true
}
