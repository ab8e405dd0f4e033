package capture

import (
	"encoding/binary"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"

	"labwatch/protocols/app"
)

// captureContext hands the packet's capture info to the assembler. The engine
// reuses one value: data the assembler delivers late (after queueing) reports the
// time it became deliverable, which is when an analyzer first could see it.
type captureContext struct{ ci gopacket.CaptureInfo }

func (c *captureContext) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

// streamFactory creates the reassembly stream of a new connection. The assembler
// calls it synchronously from Assemble, so the engine's current flow is the
// connection's flow.
type streamFactory struct{ e *Engine }

// New returns nil (no connection) for a bare ACK: it carries nothing to
// reassemble, and the last ACK of a FIN exchange would otherwise reopen the
// connection the assembler just closed, for the whole TCP idle timeout — a
// storm of short connections then grew the assembler past the flow cap, and a
// new connection on the same 4-tuple was read as a continuation of the old one.
// A connection picked up mid-stream starts with its first segment that carries
// data or a flag.
func (sf streamFactory) New(_, _ gopacket.Flow, tcp *layers.TCP, _ reassembly.AssemblerContext) reassembly.Stream {
	if len(tcp.Payload) == 0 && !tcp.SYN && !tcp.FIN && !tcp.RST {
		return nil
	}
	s := &tcpStream{e: sf.e}
	s.bind(sf.e.cur, sf.e.curDir)
	return s
}

// tcpStream adapts gopacket's reassembly.Stream to app.Analyzer calls.
type tcpStream struct {
	e    *Engine
	flow *Flow
	// flip is set when the assembler's "client to server" half (the first packet
	// it saw) is our server-to-client direction.
	flip bool
	// finGap remembers, per direction, a FIN seen ahead of the delivered stream:
	// gopacket's assembler closes such a half without delivering anything when the
	// bytes before the FIN were never captured, so the hole would go unreported.
	finGap [2]int
	ended  [2]bool
	// behind counts, per direction since the last delivery, the bytes Accept
	// saw repeating delivered data: the assembler's own overlap figure holds
	// them too (uncapped), besides the queued out-of-order bytes a later copy
	// replaced, which only it sees.
	behind [2]int
	// next is each direction's next expected sequence number as Accept last
	// saw it (valid when known[dir]).
	next  [2]reassembly.Sequence
	known [2]bool
	// reset is set by an in-order RST: the whole connection is over, but the
	// assembler ends only the sender's half (the other would linger until the
	// idle timeout, and a new connection on the 4-tuple would continue it), so
	// the engine closes the other half too (closeAfterReset).
	reset, resetDone bool
	resetDir         app.Direction
}

func (s *tcpStream) bind(f *Flow, firstDir app.Direction) {
	s.flow = f
	f.stream = s
	s.flip = firstDir == app.ServerToClient
}

// current returns the flow to deliver to. When the flow table ended the flow (idle
// or evicted) while the assembler still held the connection, and the same 4-tuple
// came back as a new flow, the stream follows the new flow.
func (s *tcpStream) current() *Flow {
	if s.flow.ended && s.e.cur != nil && s.e.cur != s.flow && s.e.cur.key == s.flow.key {
		// The new flow's first packet defines its direction as the stream's
		// first half only if the client is the same; compare endpoints.
		s.flip = s.e.cur.Client != s.flow.Client
		s.flow = s.e.cur
		s.flow.stream = s
	}
	return s.flow
}

func (s *tcpStream) dir(d reassembly.TCPFlowDirection) app.Direction {
	c2s := d == reassembly.TCPDirClientToServer
	if c2s != s.flip {
		return app.ClientToServer
	}
	return app.ServerToClient
}

// Accept takes every segment: a passive sensor joins connections mid-stream, so the
// first segment seen in each direction starts that direction. It also counts the
// bytes of segments that repeat data already delivered (retransmissions).
func (s *tcpStream) Accept(tcp *layers.TCP, _ gopacket.CaptureInfo, rdir reassembly.TCPFlowDirection, nextSeq reassembly.Sequence, start *bool, _ reassembly.AssemblerContext) bool {
	d, seq := s.dir(rdir), reassembly.Sequence(tcp.Seq)
	started := nextSeq < 0
	if started {
		*start = true
		nextSeq = seq
	}
	s.track(d, tcp, seq, nextSeq)
	if started {
		return true
	}
	n := len(tcp.Payload)
	if n > 0 {
		if behind := seq.Difference(nextSeq); behind > 0 {
			s.e.stats.TCPOverlapBytes.Add(uint64(min(behind, n)))
			s.behind[d] += behind
		}
	}
	if tcp.FIN && n == 0 {
		if ahead := nextSeq.Difference(seq); ahead > 0 {
			s.finGap[d] = ahead
		}
	}
	return true
}

func (s *tcpStream) ReassembledSG(sg reassembly.ScatterGather, ac reassembly.AssemblerContext) {
	f := s.current()
	rdir, _, end, skip := sg.Info()
	dir := s.dir(rdir)
	// Queued out-of-order bytes replaced by a later copy (the last copy wins
	// there, where delivered bytes keep the first) are overlaps too.
	if queued := sg.Stats().OverlapBytes - s.behind[dir]; queued > 0 {
		s.e.stats.TCPOverlapBytes.Add(uint64(queued))
	}
	s.behind[dir] = 0
	if f.ended || f.analyzer == nil {
		return
	}
	n, _ := sg.Lengths()
	ts := s.e.ctx.ci.Timestamp
	if ac != nil {
		ts = ac.GetCaptureInfo().Timestamp
	}
	defer s.e.recoverFlow(f)
	a := f.analyzer
	if skip > 0 {
		s.e.stats.TCPGaps.Add(1)
		s.e.stats.TCPGapBytes.Add(uint64(skip))
		if s.e.cur != nil {
			// A hole skipped while a packet is being assembled (not by a timed
			// flush) means the out-of-order buffer reached its cap.
			s.e.stats.ReassemblyCapHits.Add(1)
		}
		a.Gap(dir, skip)
	}
	if n > 0 {
		a.Data(dir, sg.Fetch(n), ts)
	}
	if end {
		s.ended[dir] = true
		a.End(dir)
	}
}

// ReassemblyComplete is called when both directions ended (FIN/RST or flush).
func (s *tcpStream) ReassemblyComplete(_ reassembly.AssemblerContext) bool {
	f := s.current()
	if f.ended {
		return true
	}
	s.e.flows.MarkClosed(f)
	// Both directions are over: the analyzer flushes now and is let go, so a
	// closed flow kept for late packets (tcp_closed) holds no parser state.
	if f.analyzer != nil {
		s.reportLostTails(f)
		s.e.expire(f)
		f.analyzer = nil
	}
	return true
}

// reportLostTails reports the bytes lost just before a FIN that the assembler
// closed without delivering, then the end of that direction. It runs when the
// assembler completes the connection or, if the flow ends first, when it ends.
func (s *tcpStream) reportLostTails(f *Flow) {
	defer s.e.recoverFlow(f)
	for dir, n := range s.finGap {
		if n <= 0 || s.ended[dir] {
			continue
		}
		s.finGap[dir], s.ended[dir] = 0, true
		s.e.stats.TCPGaps.Add(1)
		s.e.stats.TCPGapBytes.Add(uint64(n))
		f.analyzer.Gap(app.Direction(dir), n)
		f.analyzer.End(app.Direction(dir))
	}
}

// track follows a direction's next sequence number as the assembler will
// have it after this segment (an in-order segment moves it to its end), and
// notes an in-order RST.
func (s *tcpStream) track(d app.Direction, tcp *layers.TCP, seq, nextSeq reassembly.Sequence) {
	end := seq.Add(len(tcp.Payload))
	if tcp.SYN || tcp.FIN {
		end = end.Add(1)
	}
	s.next[d], s.known[d] = nextSeq, true
	if seq.Difference(nextSeq) >= 0 && nextSeq.Difference(end) > 0 {
		s.next[d] = end
	}
	if tcp.RST && seq == nextSeq {
		s.reset, s.resetDir = true, d
	}
}

// closeAfterReset ends the direction opposite an in-order RST (tcp, seen on
// net) by handing the assembler a RST at that direction's next sequence
// number: the connection completes (ReassemblyComplete), the flow is marked
// closed and the assembler lets the connection go at once.
func (e *Engine) closeAfterReset(s *tcpStream, net gopacket.Flow, tcp *layers.TCP) {
	s.resetDone = true
	e.resetHalf(s, s.resetDir.Reverse(), net.Reverse(), tcp.DstPort, tcp.SrcPort)
}

// resetHalf hands the assembler a RST for direction d of s's connection, sent
// from srcPort to dstPort on net, at d's next sequence number.
func (e *Engine) resetHalf(s *tcpStream, d app.Direction, net gopacket.Flow, srcPort, dstPort layers.TCPPort) {
	var seq uint32
	if s.known[d] {
		seq = uint32(s.next[d])
	}
	// Decoded from header bytes, as the assembler keys connections by the
	// ports the decoder records.
	h := e.rstHdr[:]
	binary.BigEndian.PutUint16(h[0:], uint16(srcPort))
	binary.BigEndian.PutUint16(h[2:], uint16(dstPort))
	binary.BigEndian.PutUint32(h[4:], seq)
	h[12], h[13] = 5<<4, 0x04 // header length 20 bytes; RST
	if e.rst.DecodeFromBytes(h, gopacket.NilDecodeFeedback) != nil {
		return
	}
	e.curDir = d
	e.asm.AssembleWithContext(net, &e.rst, &e.ctx)
}

// reusedBy tells whether tcp, seen in direction dir of flow f, opens a new
// connection on f's 4-tuple: a SYN without ACK whose initial sequence number
// is not the one this direction started with. The assembler would drop it
// (RFC 5961) and read the new connection as the old one jumping ahead.
func reusedBy(f *Flow, dir app.Direction, tcp *layers.TCP) bool {
	s := f.stream
	if !tcp.SYN || tcp.ACK || s == nil || !s.known[dir] {
		return false
	}
	return f.closed || reassembly.Sequence(tcp.Seq).Add(1) != s.next[dir]
}

// endForReuse lets the old connection of f go before a new one on the same
// 4-tuple (tcp, in direction dir on net): both halves are reset in the
// assembler and the flow ends, so the caller's next lookup starts a new flow.
func (e *Engine) endForReuse(f *Flow, dir app.Direction, net gopacket.Flow, tcp *layers.TCP) {
	if s := f.stream; s != nil && !f.closed {
		e.cur = f
		e.resetHalf(s, dir, net, tcp.SrcPort, tcp.DstPort)
		e.resetHalf(s, dir.Reverse(), net.Reverse(), tcp.DstPort, tcp.SrcPort)
		e.cur = nil
	}
	e.flows.end(f, EndClosed)
}
