package sensor

import (
	"sync"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"labwatch/capture"
	"labwatch/capture/defrag"
	"labwatch/capture/pcapfile"
)

// Batching between the reader and the workers: one channel send per batch, not
// per packet, and batches are reused, so the hand-off does not allocate.
const (
	batchPackets = 256
	batchBytes   = 512 << 10
	// batchesPerWorker bounds the packets in flight: when workers fall behind,
	// the reader waits (replay) or the kernel buffer fills (live, counted as
	// kernel drops) instead of memory growing.
	batchesPerWorker = 8
)

type packetRef struct {
	off, n int
	ci     gopacket.CaptureInfo
	link   layers.LinkType
}

type batch struct {
	data []byte
	pkts []packetRef
	tick time.Time // when set, the worker advances its clock after the packets
}

func (b *batch) full(next int) bool {
	return len(b.pkts) == batchPackets || len(b.data)+next > batchBytes
}

// shard is one worker: it owns a capture engine and every flow hashed to it.
type shard struct {
	eng     *capture.Engine
	events  *workerEvents
	in      chan *batch
	pending *batch
}

// workerPool spreads packets over shards by their flow (capture.Sharder, which
// also reassembles IPv4 fragments so that they follow their flow). Each shard's
// engine runs in its own goroutine and hands its events to detection in
// batches (workerEvents), flushed after every batch of packets.
type workerPool struct {
	shards   []*shard
	sharder  *capture.Sharder
	free     chan *batch
	wg       sync.WaitGroup
	lastTick time.Time
}

func newWorkerPool(engines []*capture.Engine, events []*workerEvents, fragments defrag.Config) *workerPool {
	p := &workerPool{
		sharder: capture.NewSharder(len(engines), fragments),
		free:    make(chan *batch, batchesPerWorker*len(engines)),
	}
	for i := 0; i < cap(p.free); i++ {
		p.free <- &batch{data: make([]byte, 0, batchBytes), pkts: make([]packetRef, 0, batchPackets)}
	}
	for i, eng := range engines {
		sh := &shard{eng: eng, events: events[i], in: make(chan *batch, batchesPerWorker)}
		p.shards = append(p.shards, sh)
		p.wg.Add(1)
		go p.run(sh)
	}
	return p
}

func (p *workerPool) run(sh *shard) {
	defer p.wg.Done()
	for b := range sh.in {
		for _, r := range b.pkts {
			sh.eng.Packet(b.data[r.off:r.off+r.n], r.ci, r.link)
		}
		if !b.tick.IsZero() {
			sh.eng.Advance(b.tick)
		}
		b.data, b.pkts, b.tick = b.data[:0], b.pkts[:0], time.Time{}
		p.free <- b
		sh.events.flush()
	}
	sh.eng.Close()
	sh.events.flush()
}

// packet copies the packet into its shard's pending batch (the reader reuses its
// buffer) and hands the batch over when full.
func (p *workerPool) packet(pkt *pcapfile.Packet) {
	// Workers that see no packets still need their clocks moved: once per
	// second of capture time every shard gets the time.
	if ts := pkt.CI.Timestamp; ts.Sub(p.lastTick) >= time.Second {
		p.advance(ts)
	}
	worker, data, ci, ok := p.sharder.Route(pkt.Data, pkt.CI, pkt.LinkType)
	if !ok {
		return // a fragment held for reassembly
	}
	sh := p.shards[worker]
	if sh.pending == nil {
		sh.pending = <-p.free
	}
	b := sh.pending
	if b.full(len(data)) {
		sh.in <- b
		b = <-p.free
		sh.pending = b
	}
	b.pkts = append(b.pkts, packetRef{off: len(b.data), n: len(data), ci: ci, link: pkt.LinkType})
	b.data = append(b.data, data...)
}

// advance sends every shard its pending packets and the time.
func (p *workerPool) advance(now time.Time) {
	p.lastTick = now
	p.sharder.Expire(now)
	for _, sh := range p.shards {
		b := sh.pending
		if b == nil {
			b = <-p.free
		}
		b.tick = now
		sh.in <- b
		sh.pending = nil
	}
}

// close hands over what is pending, stops the workers and waits for them; each
// worker closes its engine, flushing its flows.
func (p *workerPool) close() {
	for _, sh := range p.shards {
		if sh.pending != nil {
			sh.in <- sh.pending
			sh.pending = nil
		}
		close(sh.in)
	}
	p.wg.Wait()
}
