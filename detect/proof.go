package detect

import (
	"net/netip"

	"labwatch/protocols/app"
)

// Spoofed sources (a SYN flood with random addresses) cannot answer, send an
// application message or hold a TCP conversation. Tables capped at
// max_devices (the device models, the inventory) keep the addresses that did
// and, when full, let the oldest one that did not give way to a newcomer.

// answered tells whether the server of a finished flow answered: two TCP
// packets (SYN-ACK and data), as a lone RST or SYN-ACK is a probe's answer;
// any UDP reply.
func answered(r *FlowRecord) bool {
	need := uint64(2)
	if r.Flow.Transport != app.TCP {
		need = 1
	}
	return r.Packets[app.ServerToClient] >= need
}

// conversed tells whether the client of a finished TCP flow carried on past
// the handshake: more than a blind sender can.
func conversed(r *FlowRecord) bool {
	return r.Flow.Transport == app.TCP && r.Packets[app.ClientToServer] >= 3 && r.Packets[app.ServerToClient] >= 2
}

// unprovenQueue lists, oldest first, addresses admitted to a capped table
// before they proved real.
type unprovenQueue struct {
	addrs []netip.Addr
	head  int
}

func (q *unprovenQueue) add(a netip.Addr) { q.addrs = append(q.addrs, a) }

// next returns the oldest listed address for which unproven is still true,
// and forgets it; false when there is none.
func (q *unprovenQueue) next(unproven func(netip.Addr) bool) (netip.Addr, bool) {
	defer func() {
		// Drop the consumed head once it is most of the list.
		if q.head > 1024 && q.head*2 > len(q.addrs) {
			q.addrs = append(q.addrs[:0], q.addrs[q.head:]...)
			q.head = 0
		}
	}()
	for q.head < len(q.addrs) {
		a := q.addrs[q.head]
		q.head++
		if unproven(a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}
