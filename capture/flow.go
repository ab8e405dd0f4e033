package capture

import (
	"bytes"
	"net/netip"
	"time"

	"labwatch/protocols/app"
)

// Flow is the capture layer's record of one connection or UDP conversation. The
// embedded app.Flow is what analyzers and detection see.
type Flow struct {
	app.Flow

	Last    time.Time
	Packets [2]uint64 // per app.Direction
	Bytes   [2]uint64 // wire bytes per direction
	// Reported are the bytes already reported through ProgressHandler.
	Reported [2]uint64
	MAC      [2][6]byte
	HasMAC   [2]bool
	VLANs    int

	// closed is set when TCP reassembly saw both directions end.
	closed bool
	ended  bool
	// reassembling is set once a packet of the flow went to TCP reassembly.
	reassembling bool

	// Evidence capture (only when enabled): recent packets, and the open file
	// of an alert on this flow.
	ring    *packetRing
	noRing  bool
	evFiles []*evidenceFile

	analyzer app.Analyzer         // TCP: consumer of the byte streams
	stream   *tcpStream           // TCP: the reassembly stream delivering to analyzer
	datagram app.DatagramAnalyzer // UDP: consumer of the payloads

	key        flowKey
	prev, next *Flow // LRU list links, most recent at the list's head
	list       *flowList
}

// EndReason says why a flow ended.
type EndReason uint8

const (
	EndIdle     EndReason = iota // idle timeout
	EndClosed                    // FIN/RST in both directions, then the closed timeout
	EndEvicted                   // the table was full
	EndShutdown                  // end of input or sensor stop
)

func (r EndReason) String() string {
	return [...]string{"idle", "closed", "evicted", "shutdown"}[r]
}

// flowKey is symmetric: both directions of a flow map to the same key. It holds
// plain arrays, no pointers, so hashing and comparing it is a flat memory
// operation (netip.AddrPort carries a zone pointer).
type flowKey struct {
	lo, hi         [16]byte
	loPort, hiPort uint16
	proto          uint8
}

func makeKey(src, dst netip.AddrPort, proto uint8) flowKey {
	a, b := src.Addr().As16(), dst.Addr().As16()
	ap, bp := src.Port(), dst.Port()
	if c := bytes.Compare(a[:], b[:]); c > 0 || c == 0 && ap > bp {
		a, b, ap, bp = b, a, bp, ap
	}
	return flowKey{lo: a, hi: b, loPort: ap, hiPort: bp, proto: proto}
}

// flowList is an intrusive doubly linked list ordered by last packet time; moving a
// flow to the front costs four pointer writes and no allocation.
type flowList struct {
	head, tail *Flow
	idle       time.Duration
	n          int
}

func (l *flowList) pushFront(f *Flow) {
	f.list, f.prev, f.next = l, nil, l.head
	if l.head != nil {
		l.head.prev = f
	}
	l.head = f
	if l.tail == nil {
		l.tail = f
	}
	l.n++
}

func (l *flowList) remove(f *Flow) {
	if f.prev != nil {
		f.prev.next = f.next
	} else {
		l.head = f.next
	}
	if f.next != nil {
		f.next.prev = f.prev
	} else {
		l.tail = f.prev
	}
	f.prev, f.next, f.list = nil, nil, nil
	l.n--
}

func (l *flowList) touch(f *Flow) {
	if l.head == f {
		return
	}
	l.remove(f)
	l.pushFront(f)
}

// FlowTable tracks flows by symmetric 5-tuple, bounded by FlowConfig.Max. Flows sit
// in one LRU list per timeout class, so expiry walks only the stale tails.
type FlowTable struct {
	cfg    FlowConfig
	flows  map[flowKey]*Flow
	newTCP flowList // TCP flows that never carried payload
	tcp    flowList
	closed flowList
	udp    flowList
	nextID uint64
	onEnd  func(*Flow, EndReason)

	emergency bool

	Evicted          uint64
	Created          uint64
	EmergencyEntered uint64
	EmergencyLeft    uint64
}

// Emergency tells whether the table is in emergency mode.
func (t *FlowTable) Emergency() bool { return t.emergency }

// TCPIdle is the TCP idle timeout in force (shorter in emergency mode).
func (t *FlowTable) TCPIdle() time.Duration { return t.tcp.idle }

// checkPressure enters or leaves emergency mode by the table's fill.
func (t *FlowTable) checkPressure() {
	if t.cfg.Max <= 0 || t.cfg.EmergencyEnter <= 0 {
		return
	}
	fill := float64(len(t.flows)) / float64(t.cfg.Max)
	switch {
	case !t.emergency && fill >= t.cfg.EmergencyEnter:
		t.EmergencyEntered++
		t.setTimeouts(true)
	case t.emergency && fill < t.cfg.EmergencyLeave:
		t.EmergencyLeft++
		t.setTimeouts(false)
	}
}

// setTimeouts switches the idle timeouts between normal and emergency mode.
func (t *FlowTable) setTimeouts(emergency bool) {
	c := &t.cfg
	t.emergency = emergency
	if emergency {
		t.newTCP.idle, t.tcp.idle, t.closed.idle, t.udp.idle = c.EmergencyTCPNewIdle, c.EmergencyTCPIdle, c.EmergencyTCPClosed, c.EmergencyUDPIdle
		return
	}
	t.newTCP.idle, t.tcp.idle, t.closed.idle, t.udp.idle = c.TCPNewIdle, c.TCPIdle, c.TCPClosed, c.UDPIdle
}

// lists returns the lists in expiry order.
func (t *FlowTable) lists() [4]*flowList {
	return [4]*flowList{&t.newTCP, &t.closed, &t.udp, &t.tcp}
}

// Established moves a TCP flow that carried its first payload out of the list of
// new flows.
func (t *FlowTable) Established(f *Flow) {
	if f.list == &t.newTCP {
		t.newTCP.remove(f)
		t.tcp.pushFront(f)
	}
}

// NewFlowTable makes a table that calls onEnd for every flow that ends.
func NewFlowTable(cfg FlowConfig, onEnd func(*Flow, EndReason)) *FlowTable {
	t := &FlowTable{cfg: cfg, flows: make(map[flowKey]*Flow, 1024), onEnd: onEnd}
	t.setTimeouts(false)
	return t
}

// Len returns the number of live flows.
func (t *FlowTable) Len() int { return len(t.flows) }

// Lookup finds or creates the flow of a packet from src to dst and tells the
// packet's direction within it. created reports a new flow.
func (t *FlowTable) Lookup(src, dst netip.AddrPort, d *Decoded, ts time.Time) (f *Flow, dir app.Direction, created bool) {
	key := makeKey(src, dst, d.Transport)
	if f = t.flows[key]; f != nil {
		if f.Client == src {
			dir = app.ClientToServer
		} else {
			dir = app.ServerToClient
		}
		if !ts.Before(f.Last) {
			f.Last = ts
		}
		f.list.touch(f)
		return f, dir, false
	}
	if len(t.flows) >= t.cfg.Max && t.cfg.Max > 0 {
		t.evictOldest()
	}
	t.nextID++
	t.Created++
	f = &Flow{key: key, Last: ts}
	f.ID = t.nextID
	f.Transport = app.Transport(d.Transport)
	f.Start = ts
	f.Client, f.Server = src, dst
	if initiatorIsDst(d) {
		f.Client, f.Server = dst, src
	}
	dir = app.ClientToServer
	if f.Client != src {
		dir = app.ServerToClient
	}
	t.flows[key] = f
	t.checkPressure()
	if d.Transport == 6 {
		t.newTCP.pushFront(f)
	} else {
		t.udp.pushFront(f)
	}
	return f, dir, true
}

// initiatorIsDst decides, for the first packet of a flow, whether its receiver
// opened the connection. A SYN settles it; otherwise (flow picked up mid-stream, or
// UDP) the side on a service port is taken as the server.
func initiatorIsDst(d *Decoded) bool {
	if d.TCP != nil && d.TCP.SYN {
		return d.TCP.ACK // SYN-ACK comes from the server
	}
	srcSvc, dstSvc := isServicePort(d.SrcPort), isServicePort(d.DstPort)
	if srcSvc != dstSvc {
		return srcSvc
	}
	return d.SrcPort < d.DstPort
}

// isServicePort tells whether a port is more likely a server's than a client's:
// well-known ports, and the registered ports lab devices listen on.
func isServicePort(p uint16) bool {
	if p < 1024 {
		return true
	}
	switch p {
	case 2575, 6661, 9100, 11112, 2762, 1433, 3306, 5432, 8080, 8443:
		return true
	}
	return p < 32768 && p%1000 == 0 // many analyzers listen on round ports (5000, 6000)
}

// MarkClosed moves a TCP flow whose both directions ended to the closed list.
func (t *FlowTable) MarkClosed(f *Flow) {
	if f.closed || f.ended || f.list == nil {
		return
	}
	f.closed = true
	f.list.remove(f)
	t.closed.pushFront(f)
}

// Expire ends flows idle past their timeout at capture time now.
func (t *FlowTable) Expire(now time.Time) {
	for _, l := range t.lists() {
		reason := EndIdle
		if l == &t.closed {
			reason = EndClosed
		}
		for l.tail != nil && now.Sub(l.tail.Last) > l.idle {
			t.end(l.tail, reason)
		}
	}
	t.checkPressure()
}

// Flush ends every flow (end of input or shutdown).
func (t *FlowTable) Flush() {
	for _, l := range t.lists() {
		for l.tail != nil {
			t.end(l.tail, EndShutdown)
		}
	}
}

// evictOldest ends the least recently seen TCP flow that never carried payload,
// or if there is none the least recently seen flow of all.
func (t *FlowTable) evictOldest() {
	oldest := t.newTCP.tail
	if oldest == nil {
		for _, l := range t.lists() {
			if l.tail != nil && (oldest == nil || l.tail.Last.Before(oldest.Last)) {
				oldest = l.tail
			}
		}
	}
	if oldest != nil {
		t.Evicted++
		t.end(oldest, EndEvicted)
	}
}

func (t *FlowTable) end(f *Flow, reason EndReason) {
	f.list.remove(f)
	delete(t.flows, f.key)
	f.ended = true
	if t.onEnd != nil {
		t.onEnd(f, reason)
	}
}
