package gen

import (
	"slices"
	"time"

	"labwatch/protocols/app"
)

type impairKind uint8

const (
	impRetransmit impairKind = iota
	impReorder
	impLoss
	impFragment
)

var impairEvent = [...]string{
	impRetransmit: "retransmit", impReorder: "reorder", impLoss: "loss", impFragment: "fragment",
}

// minImpairPayload keeps impairments on application writes that matter (no
// lone ASTM control bytes), so a loss always damages a message.
const minImpairPayload = 64

// fragmentMTU is the path MTU of fragmented datagrams: 552 bytes of IP payload
// per fragment, a multiple of 8 as fragment offsets require.
const (
	fragmentPayload = 552
	minFragmentable = 600
)

// dispenser spreads impairment events evenly over the application writes of a
// round: one event every stride writes, kinds taken in turn, each on the first
// write that can carry it.
type dispenser struct {
	pending   []impairKind
	stride    int
	countdown int
}

// addRound queues one round's events; estWrites is how many eligible writes the
// round will make, roughly.
func (d *dispenser) addRound(o *Options, estWrites int) {
	left := [...]int{impRetransmit: o.Retransmits, impReorder: o.Reorders, impLoss: o.Losses, impFragment: o.Fragments}
	for more := true; more; {
		more = false
		for k := range left {
			if left[k] > 0 {
				d.pending = append(d.pending, impairKind(k))
				left[k]--
				more = true
			}
		}
	}
	d.stride = max(1, estWrites/(len(d.pending)+1))
	d.countdown = max(1, d.stride/2)
}

// take returns the event due on a write of nData segments, if any.
func (d *dispenser) take(nData int, fragmentable bool) (impairKind, bool) {
	if len(d.pending) == 0 {
		return 0, false
	}
	if d.countdown > 1 {
		d.countdown--
		return 0, false
	}
	for i, k := range d.pending {
		ok := false
		switch k {
		case impRetransmit, impLoss:
			ok = nData >= 1
		case impReorder:
			ok = nData >= 2
		case impFragment:
			ok = fragmentable
		}
		if ok {
			d.pending = slices.Delete(d.pending, i, i+1)
			d.countdown = d.stride
			return k, true
		}
	}
	return 0, false
}

// impair applies the event due, if any, to the data segments of direction d
// queued from index first on.
func (g *generator) impair(f *flow, d app.Direction, first int) {
	var data [64]int // indexes of the write's data segments; writes are at most a few dozen segments
	n := 0
	big := -1
	for i := first; i < len(f.q) && n < len(data); i++ {
		if f.q[i].dir == d && len(f.q[i].payload) > 0 {
			data[n] = i
			if big < 0 && len(f.q[i].payload) >= minFragmentable {
				big = i
			}
			n++
		}
	}
	kind, ok := g.disp.take(n, big >= 0 && !f.spec.v6)
	if !ok {
		return
	}
	g.truth.Events[impairEvent[kind]]++
	switch kind {
	case impRetransmit:
		p := f.q[data[g.r.IntN(n)]]
		p.ts = f.q[data[n-1]].ts + g.r.micros(300*time.Microsecond, 3*time.Millisecond)
		f.q = append(f.q, p)
	case impReorder:
		k := g.r.IntN(n - 1)
		a, b := &f.q[data[k]], &f.q[data[k+1]]
		// Swap the segments but not the times: the later one is seen first.
		*a, *b = *b, *a
		a.ts, b.ts = b.ts, a.ts
	case impLoss:
		k := g.r.IntN(n)
		if n > 1 && k == n-1 {
			k-- // keep the write's last segment so the gap shows before more data
		}
		p := &f.q[data[k]]
		p.drop = true
		start := f.streamOffset(d, p.seq)
		f.lost = append(f.lost, lostRange{dir: d, start: start, end: start + int64(len(p.payload))})
		dt := &g.truth.Streams[f.stream].Dirs[d]
		dt.addLost(start, int64(len(p.payload)))
	case impFragment:
		f.q[big].frag = true
	}
}
