package defrag

import (
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Defragmenter reassembles IPv4 datagrams within fixed bounds.
//
// Incomplete datagrams live in a map keyed by (source, destination, id,
// protocol) as arrays, and in an age list, oldest first, which makes eviction
// at the caps and expiry O(1) per datagram. Finished datagrams keep their
// buffers for reuse (up to spareDatagrams of them) and the reassembled payload
// is written into one buffer owned by the Defragmenter, so in steady state Add
// allocates nothing. It is not safe for concurrent use, except Stats.
type Defragmenter struct {
	cfg   Config
	table map[key]*datagram

	oldest, newest *datagram   // age list by first fragment
	spare          []*datagram // finished datagrams kept for reuse

	held int // cap of the data buffers of live and spare datagrams

	gapBuf []span // scratch for datagram.gaps
	out    []byte // reassembled payloads, valid until the next Add
	stats  counters
}

// New returns a Defragmenter bounded by cfg (unset fields take defaults).
func New(cfg Config) *Defragmenter {
	cfg = cfg.withDefaults()
	return &Defragmenter{
		cfg:    cfg,
		table:  make(map[key]*datagram, min(cfg.MaxDatagrams, 1024)),
		spare:  make([]*datagram, 0, spareDatagrams),
		gapBuf: make([]span, 0, 16),
		out:    make([]byte, maxIPv4Length),
	}
}

// Add takes one IPv4 packet decoded at capture time ts. A packet that is not a
// fragment is returned as it is. A fragment is held; when it completes its
// datagram, Add returns the whole transport payload (valid until the next
// call to Add) and true.
func (d *Defragmenter) Add(ip *layers.IPv4, ts time.Time) ([]byte, bool) {
	if ip.Flags&layers.IPv4MoreFragments == 0 && ip.FragOffset == 0 {
		return ip.Payload, true
	}
	d.stats.fragments.Add(1)
	out, ok := d.add(ip, ts)
	d.publish()
	return out, ok
}

func (d *Defragmenter) add(ip *layers.IPv4, ts time.Time) ([]byte, bool) {
	k, ok := keyOf(ip)
	if !ok {
		d.stats.invalid.Add(1)
		return nil, false
	}
	dg := d.table[k]
	if dg != nil && ts.Sub(dg.first) > d.cfg.Timeout {
		d.expire(dg) // an old datagram whose id came round again
		dg = nil
	}
	if dg == nil {
		dg = d.create(k, ts)
	}
	if dg.dead {
		return nil, false
	}
	dg.frags++
	if reason := d.reject(dg, ip); reason != nil {
		d.kill(dg, reason)
		return nil, false
	}
	off := int(ip.FragOffset) * 8
	if ip.Flags&layers.IPv4MoreFragments == 0 {
		dg.total = off + len(ip.Payload)
	}
	gaps, how := dg.gaps(ip.Payload, off, d.gapBuf[:0])
	d.gapBuf = gaps[:0]
	switch how {
	case overlapSame:
		d.stats.duplicates.Add(1)
	case overlapDifferent:
		d.stats.overlaps.Add(1)
	}
	if !d.makeRoom(dg, gaps) {
		d.kill(dg, &d.stats.evictedAtCap)
		return nil, false
	}
	dg.store(ip.Payload, off, gaps)
	if !dg.complete() {
		return nil, false
	}
	out := dg.assemble(d.out)
	d.stats.reassembled.Add(1)
	d.release(dg)
	return out, true
}

// reject returns the counter of the reason the fragment spoils its datagram,
// or nil if it fits.
func (d *Defragmenter) reject(dg *datagram, ip *layers.IPv4) *atomic.Uint64 {
	more := ip.Flags&layers.IPv4MoreFragments != 0
	n := len(ip.Payload)
	end := int(ip.FragOffset)*8 + n
	header := max(int(ip.IHL)*4, 20)
	switch {
	case dg.frags > d.cfg.MaxFragmentsPerDatagram:
		return &d.stats.tooManyFragments
	case header+end > maxIPv4Length:
		return &d.stats.oversize
	case int(ip.Length) > header+n:
		return &d.stats.truncated
	case more && (n == 0 || n%8 != 0): // RFC 791: all but the last carry 8-byte units
		return &d.stats.invalid
	case dg.total >= 0 && (end > dg.total || !more && end != dg.total):
		return &d.stats.invalid // past, or disagreeing with, the known end
	case !more && dg.highest() > end:
		return &d.stats.invalid // bytes already held past this end
	}
	return nil
}

// keyOf builds the datagram key; false if the addresses are not IPv4.
func keyOf(ip *layers.IPv4) (key, bool) {
	src, dst := ip.SrcIP.To4(), ip.DstIP.To4()
	if src == nil || dst == nil {
		return key{}, false
	}
	k := key{id: ip.Id, proto: uint8(ip.Protocol)}
	copy(k.src[:], src)
	copy(k.dst[:], dst)
	return k, true
}

// Expire drops the datagrams whose first fragment is older than Timeout at
// capture time now, counting them in TimedOut.
func (d *Defragmenter) Expire(now time.Time) {
	for dg := d.oldest; dg != nil && now.Sub(dg.first) > d.cfg.Timeout; dg = d.oldest {
		d.expire(dg)
	}
	d.publish()
}

// Stats returns the counters; safe to call from any goroutine.
func (d *Defragmenter) Stats() Stats { return d.stats.snapshot() }

func (d *Defragmenter) publish() {
	d.stats.heldDatagrams.Store(uint64(len(d.table)))
	d.stats.heldBytes.Store(uint64(d.held))
}
