package dns

import "time"

// pending remembers recent queries of one flow by ID, to match responses and
// measure their latency. It is a small ring: at MaxPending the oldest query is
// forgotten (a resolver that never answers must not grow it).
type pending struct {
	ids  []uint16
	ts   []time.Time
	next int
}

func newPending(n int) pending {
	return pending{ids: make([]uint16, 0, n), ts: make([]time.Time, 0, n)}
}

// add remembers a query.
func (p *pending) add(id uint16, ts time.Time) {
	if len(p.ids) < cap(p.ids) {
		p.ids, p.ts = append(p.ids, id), append(p.ts, ts)
		return
	}
	p.ids[p.next], p.ts[p.next] = id, ts
	p.next = (p.next + 1) % len(p.ids)
}

// match finds and forgets the query a response answers; ok is false when none
// was seen (the capture started later, or the response is unsolicited).
func (p *pending) match(id uint16) (time.Time, bool) {
	for i, v := range p.ids {
		if v == id && !p.ts[i].IsZero() {
			ts := p.ts[i]
			p.ts[i] = time.Time{}
			return ts, true
		}
	}
	return time.Time{}, false
}
