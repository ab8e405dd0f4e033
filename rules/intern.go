package rules

import (
	"net/netip"
	"sync/atomic"

	"labwatch/protocols/app"
)

// Events are built for every message, and most carry the same few addresses and
// PHI kind sets again and again. These caches hand out the same strings and
// slices instead of formatting them anew: bounded, lock-free (direct-mapped,
// a miss just replaces the slot), safe from any goroutine. Slices from phiKinds
// are shared: expressions only read them.

const addrSlots = 1024

type addrEntry struct {
	a netip.Addr
	s string
}

var addrCache [addrSlots]atomic.Pointer[addrEntry]

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	a = a.Unmap()
	b := a.As16()
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	slot := &addrCache[h%addrSlots]
	if e := slot.Load(); e != nil && e.a == a {
		return e.s
	}
	e := &addrEntry{a: a, s: a.String()}
	slot.Store(e)
	return e.s
}

// phiKindSlots covers every combination of the kinds app defines today; a set
// with a higher bit is formatted each time.
const phiKindSlots = 1 << 11

var phiKindCache [phiKindSlots]atomic.Pointer[[]string]

func phiKinds(s app.PHISet) []string {
	if s == 0 {
		return nil
	}
	if int(s) >= phiKindSlots {
		return s.Kinds()
	}
	if p := phiKindCache[s].Load(); p != nil {
		return *p
	}
	k := s.Kinds()
	phiKindCache[s].Store(&k)
	return k
}
