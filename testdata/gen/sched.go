package gen

import (
	"container/heap"
	"net/netip"
	"time"

	"labwatch/protocols/app"
)

// run merges the flows' packets in time order, opening new flows as the plan
// and the concurrency limit allow.
func (g *generator) run() error {
	launchAt := g.lastTS
	planDone := false
	for {
		for !planDone && g.active < g.o.ConcurrentFlows && !g.winding() &&
			(g.flows.Len() == 0 || launchAt <= g.flows[0].nextTS()) {
			at := max(launchAt, g.lastTS)
			ok, err := g.launch(at)
			if err != nil {
				return err
			}
			if !ok {
				planDone = true
				break
			}
			launchAt = at + g.r.expMicros(g.o.FlowGap)
		}
		if g.flows.Len() == 0 {
			return nil
		}
		f := g.flows[0]
		if err := g.writePacket(f, &f.q[f.head]); err != nil {
			return err
		}
		f.head++
		if f.head < len(f.q) || g.refill(f) {
			heap.Fix(&g.flows, 0)
			continue
		}
		heap.Pop(&g.flows)
		g.release(f)
	}
}

// winding is true once the packet target is reached: no new flows, and open
// connections close after their current exchange.
func (g *generator) winding() bool {
	return g.o.TargetPackets > 0 && g.truth.Packets >= g.o.TargetPackets
}

// launch opens the next planned flow at ts; false when the plan is done.
func (g *generator) launch(ts int64) (bool, error) {
	spec, ok := g.nextSpec()
	if !ok {
		return false, nil
	}
	f := g.newFlow()
	f.spec = spec
	f.stream = -1
	f.seq = g.launched
	g.launched++
	f.flowLabel = g.r.Uint32() & 0xfffff
	f.ipID = [2]uint16{uint16(g.r.Uint32()), uint16(g.r.Uint32())}
	if spec.kind == kindDNS {
		if err := g.openDNS(f, ts); err != nil {
			return false, err
		}
	} else {
		g.openTCPFlow(f, ts)
	}
	g.noteFlow(f)
	heap.Push(&g.flows, f)
	g.active++
	g.truth.MaxConcurrent = max(g.truth.MaxConcurrent, g.active)
	return true, nil
}

// openTCPFlow sets up a TCP flow for its kind and queues its handshake.
func (g *generator) openTCPFlow(f *flow, ts int64) {
	f.transport = app.TCP
	switch f.spec.kind {
	case kindHL7:
		f.conv = g.newHL7Conv(f)
	case kindASTM:
		f.conv = g.newASTMConv(f)
	case kindZPL:
		f.conv = g.newZPLConv(f)
	case kindTLS:
		f.conv = g.newTLSConv(f)
	}
	f.cport = f.client.ephemeralPort()
	g.openTCP(f, ts)
	g.truth.Streams = append(g.truth.Streams, StreamTruth{
		App:    kindApp[f.spec.kind],
		Client: netip.AddrPortFrom(f.addr(f.client), f.cport),
		Server: netip.AddrPortFrom(f.addr(f.server), f.sport),
		VLANs:  f.spec.tags,
		Start:  time.UnixMicro(ts).UTC(),
	})
	f.stream = len(g.truth.Streams) - 1
	g.refillTCP(f)
}

// addr is the address h uses on flow f.
func (f *flow) addr(h *host) netip.Addr {
	if f.spec.v6 {
		return h.v6
	}
	return h.v4
}

// noteFlow counts the flow's devices, tuple and carriage.
func (g *generator) noteFlow(f *flow) {
	c, s := f.addr(f.client), f.addr(f.server)
	g.devices[c] = struct{}{}
	g.devices[s] = struct{}{}
	g.tuples[fiveTuple{f.transport, netip.AddrPortFrom(c, f.cport), netip.AddrPortFrom(s, f.sport)}] = struct{}{}
	switch len(f.spec.tags) {
	case 1:
		g.truth.Events["vlan"]++
	case 2:
		g.truth.Events["qinq"]++
	}
	if f.spec.v6 {
		g.truth.Events["ipv6"]++
	}
}

// refill queues the flow's next packets; false when it has no more.
func (g *generator) refill(f *flow) bool {
	if f.transport == app.UDP {
		return false
	}
	return g.refillTCP(f)
}

// newFlow reuses a released flow, buffers and all, or makes one.
func (g *generator) newFlow() *flow {
	if n := len(g.free); n > 0 {
		f := g.free[n-1]
		g.free = g.free[:n-1]
		return f
	}
	return &flow{}
}

// release closes the flow's truth and keeps its buffers for the next flow.
func (g *generator) release(f *flow) {
	g.active--
	if f.stream >= 0 {
		st := &g.truth.Streams[f.stream]
		for d := range st.Dirs {
			st.Dirs[d].Delivered = st.Dirs[d].Bytes - st.Dirs[d].Lost
		}
	}
	*f = flow{q: f.q[:0], x: exchange{data: f.x.data[:0], sends: f.x.sends[:0], marks: f.x.marks[:0]}, lost: f.lost[:0], buf: f.buf[:0], stream: -1}
	g.free = append(g.free, f)
}

// flowHeap orders open flows by their next packet time, then launch order.
type flowHeap []*flow

func (h flowHeap) Len() int { return len(h) }

func (h flowHeap) Less(i, j int) bool {
	a, b := h[i].nextTS(), h[j].nextTS()
	if a != b {
		return a < b
	}
	return h[i].seq < h[j].seq
}

func (h flowHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

func (h *flowHeap) Push(x any) { *h = append(*h, x.(*flow)) }

func (h *flowHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return f
}
