package gen

import (
	"labwatch/protocols/app"
)

// TCP flag bits as they sit in the header.
const (
	flagFIN uint8 = 1 << iota
	flagSYN
	flagRST
	flagPSH
	flagACK
)

// pkt is one packet of a flow waiting in the flow's queue for its turn.
type pkt struct {
	ts       int64 // microseconds since the Unix epoch
	dir      app.Direction
	flags    uint8
	seq, ack uint32
	payload  []byte // points into the flow's exchange; valid until the next refill
	frag     bool   // write as IPv4 fragments
	drop     bool   // lost before the tap: never written
}

type flowKind uint8

const (
	kindHL7 flowKind = iota
	kindASTM
	kindZPL
	kindTLS
	kindDNS
)

var kindApp = [...]string{kindHL7: "hl7", kindASTM: "astm", kindZPL: "zpl", kindTLS: "tls", kindDNS: "dns"}

// flowSpec is a planned flow: what it carries and how it is carried.
type flowSpec struct {
	kind     flowKind
	variant  int      // archetype within the kind
	count    int      // HL7 messages or ASTM sessions
	tags     []uint16 // VLAN ids, outer first
	v6       bool
	reset    bool // end with RST instead of FIN
	outbound bool // talks to the host outside the trusted networks
}

// flow is one TCP connection or UDP conversation being generated. Its packets
// are produced one exchange at a time, so memory stays bounded by the number of
// concurrent flows, not by the capture.
type flow struct {
	seq            uint64 // launch order; breaks timestamp ties deterministically
	spec           flowSpec
	transport      app.Transport
	client, server *host
	cport, sport   uint16
	ipID           [2]uint16
	flowLabel      uint32
	stream         int // index in Truth.Streams, -1 for UDP

	q    []pkt
	head int

	conv conversation
	tcp  tcpState
	x    exchange
	lost []lostRange // losses of the current exchange
	buf  []byte      // UDP payload storage
}

type lostRange struct {
	dir        app.Direction
	start, end int64
}

// src and dst are the hosts sending and receiving in direction d.
func (f *flow) src(d app.Direction) *host {
	if d == app.ClientToServer {
		return f.client
	}
	return f.server
}

func (f *flow) dst(d app.Direction) *host { return f.src(d.Reverse()) }

func (f *flow) ports(d app.Direction) (src, dst uint16) {
	if d == app.ClientToServer {
		return f.cport, f.sport
	}
	return f.sport, f.cport
}

// nextTS is the time of the flow's next packet.
func (f *flow) nextTS() int64 { return f.q[f.head].ts }

// conversation writes the application side of a TCP flow, one exchange at a time.
type conversation interface {
	// next fills x with the flow's next exchange. It returns false when the
	// conversation is over and the connection should close.
	next(g *generator, f *flow, x *exchange) bool
}
