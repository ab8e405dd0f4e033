package defrag

import (
	"bytes"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type scenario struct {
	name  string
	cfg   Config
	frags []frag
	want  [][]byte // completed payloads, in order
	stats Stats    // without the Held gauges
}

// scenarios is shared by the table test and the golden file.
func scenarios() []scenario {
	p := payload(4000, 1)
	f := split(p, 1480, 7) // 0-1480, 1480-2960, 2960-4000 (last)

	conflict := frag{id: 7, off: 1000, more: true, data: bytes.Repeat([]byte{0xEE}, 1000)}
	firstWins := append([]byte(nil), p...)
	copy(firstWins[1480:2000], conflict.data[480:]) // bytes nobody held before it

	small := payload(40, 9)
	spanning := []frag{
		{id: 3, off: 0, more: true, data: small[0:8]},
		{id: 3, off: 16, more: true, data: small[16:24]},
		{id: 3, off: 0, more: true, data: small[0:32]}, // fills two gaps, repeats two pieces
		{id: 3, off: 32, data: small[32:40]},
	}

	other := split(payload(2960, 2), 1480, 7)
	for i := range other {
		other[i].src = "10.40.1.23"
	}
	tcp := split(payload(2000, 3), 1480, 7)
	for i := range tcp {
		tcp[i].proto = layers.IPProtocolTCP
	}
	late := func(fs []frag, at time.Duration) []frag {
		out := append([]frag(nil), fs...)
		for i := range out {
			out[i].at = at
		}
		return out
	}
	withID := func(fs []frag, id uint16) []frag {
		out := append([]frag(nil), fs...)
		for i := range out {
			out[i].id = id
		}
		return out
	}
	cut := f[0]
	cut.cut = 100

	return []scenario{
		{name: "in order", frags: f, want: [][]byte{p},
			stats: Stats{Fragments: 3, Reassembled: 1}},
		{name: "reverse order", frags: reorder(f, 2, 1, 0), want: [][]byte{p},
			stats: Stats{Fragments: 3, Reassembled: 1}},
		{name: "last first", frags: reorder(f, 2, 0, 1), want: [][]byte{p},
			stats: Stats{Fragments: 3, Reassembled: 1}},
		{name: "duplicate", frags: reorder(f, 0, 0, 1, 2), want: [][]byte{p},
			stats: Stats{Fragments: 4, Reassembled: 1, Duplicates: 1}},
		{name: "overlap: first bytes win", frags: []frag{f[0], conflict, f[1], f[2]}, want: [][]byte{firstWins},
			stats: Stats{Fragments: 4, Reassembled: 1, Overlaps: 2}},
		{name: "fragment spanning gaps", frags: spanning, want: [][]byte{small},
			stats: Stats{Fragments: 4, Reassembled: 1, Duplicates: 1}},
		{name: "same id, other source", frags: []frag{f[0], other[0], f[1], other[1], f[2]}, want: [][]byte{payload(2960, 2), p},
			stats: Stats{Fragments: 5, Reassembled: 2}},
		{name: "same id, other protocol", frags: []frag{tcp[0], f[0], f[1], tcp[1], f[2]}, want: [][]byte{payload(2000, 3), p},
			stats: Stats{Fragments: 5, Reassembled: 2}},
		{name: "not a fragment", frags: []frag{{id: 1, data: small}}, want: [][]byte{small},
			stats: Stats{}},
		{name: "oversize", frags: []frag{{id: 1, off: 65528, data: small[:16]}, {id: 1, off: 0, more: true, data: small[:8]}},
			stats: Stats{Fragments: 2, Oversize: 1}},
		{name: "too many fragments", cfg: Config{MaxFragmentsPerDatagram: 4}, frags: split(payload(48, 4), 8, 1),
			stats: Stats{Fragments: 6, TooManyFragments: 1}},
		{name: "non-last not a multiple of 8", frags: []frag{{id: 1, more: true, data: small[:7]}, f[2]},
			stats: Stats{Fragments: 2, Invalid: 1}},
		{name: "empty non-last", frags: []frag{{id: 1, off: 8, more: true, data: nil}},
			stats: Stats{Fragments: 1, Invalid: 1}},
		{name: "last fragments disagree", frags: []frag{{id: 7, off: 1480, data: p[1480:2960]}, f[2]},
			stats: Stats{Fragments: 2, Invalid: 1}},
		{name: "bytes past the end", frags: []frag{f[2], {id: 7, off: 4000, more: true, data: small[:8]}},
			stats: Stats{Fragments: 2, Invalid: 1}},
		{name: "end before held bytes", frags: []frag{f[1], {id: 7, off: 8, data: small[:8]}},
			stats: Stats{Fragments: 2, Invalid: 1}},
		{name: "cut by the snap length", frags: []frag{cut, f[1], f[2]},
			stats: Stats{Fragments: 3, Truncated: 1}},
		{name: "timeout between fragments", frags: append([]frag{f[0]}, late(f[1:], 31*time.Second)...),
			stats: Stats{Fragments: 3, TimedOut: 1}},
		{name: "evicted at MaxDatagrams", cfg: Config{MaxDatagrams: 2},
			frags: []frag{withID(f, 1)[0], withID(f, 2)[0], withID(f, 3)[0], withID(f, 3)[1], withID(f, 3)[2]},
			want:  [][]byte{p}, stats: Stats{Fragments: 5, EvictedAtCap: 1, Reassembled: 1}},
		{name: "evicted at MaxBytes", cfg: Config{MaxBytes: 8192},
			frags: []frag{withID(f, 1)[0], withID(f, 2)[0], withID(f, 3)[0], withID(f, 1)[1]},
			stats: Stats{Fragments: 4, EvictedAtCap: 2}},
		{name: "alone over MaxBytes", cfg: Config{MaxBytes: 2048}, frags: f,
			stats: Stats{Fragments: 3, EvictedAtCap: 1}},
		{name: "not an IPv4 address", frags: []frag{{src: "2001:db8::1", id: 1, more: true, data: small[:8]}},
			stats: Stats{Fragments: 1, Invalid: 1}},
	}
}

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios() {
		t.Run(sc.name, func(t *testing.T) {
			d := New(sc.cfg)
			got := feed(d, sc.frags)
			want := sc.want
			require.Equal(t, len(want), len(got), "completed datagrams")
			for i := range want {
				assert.True(t, bytes.Equal(want[i], got[i]), "payload %d differs", i)
			}
			st := d.Stats()
			assert.LessOrEqual(t, st.HeldBytes, uint64(d.cfg.MaxBytes))
			assert.LessOrEqual(t, st.HeldDatagrams, uint64(d.cfg.MaxDatagrams))
			st.HeldBytes, st.HeldDatagrams = 0, 0
			assert.Equal(t, sc.stats, st)
		})
	}
}

func TestExpire(t *testing.T) {
	d := New(Config{})
	f := split(payload(4000, 1), 1480, 7)
	feed(d, f[:2])
	require.Equal(t, uint64(1), d.Stats().HeldDatagrams)
	d.Expire(t0.Add(29 * time.Second))
	assert.Equal(t, uint64(1), d.Stats().HeldDatagrams, "not yet")
	d.Expire(t0.Add(31 * time.Second))
	st := d.Stats()
	assert.Equal(t, uint64(1), st.TimedOut)
	assert.Zero(t, st.HeldDatagrams)
	// A spare buffer is kept for reuse and still counted.
	assert.LessOrEqual(t, st.HeldBytes, uint64(spareBufferBytes))

	// The last fragment alone now starts a new datagram.
	_, ok := d.Add(f[2].ipv4(), t0.Add(32*time.Second))
	assert.False(t, ok)
}

func TestDeadDatagramSwallowsItsFragmentsUntilTimeout(t *testing.T) {
	d := New(Config{})
	f := split(payload(4000, 1), 1480, 7)
	bad := frag{id: 7, off: 0, more: true, data: f[0].data[:7]}
	feed(d, []frag{bad, f[1], f[2]})
	st := d.Stats()
	assert.Equal(t, uint64(1), st.Invalid)
	assert.Zero(t, st.Reassembled)
	assert.Zero(t, st.HeldBytes, "a dead datagram holds no bytes")
	d.Expire(t0.Add(31 * time.Second))
	assert.Zero(t, d.Stats().TimedOut, "counted once, as invalid")
	got := feed(d, []frag{{id: 7, off: 0, more: true, data: f[0].data, at: 32 * time.Second},
		{id: 7, off: 1480, more: true, data: f[1].data, at: 32 * time.Second},
		{id: 7, off: 2960, data: f[2].data, at: 32 * time.Second}})
	assert.Len(t, got, 1, "after its timeout the key is free again")
}

func TestAddDoesNotAllocate(t *testing.T) {
	d := New(Config{})
	f := split(payload(4000, 1), 1480, 7)
	ips := []*layers.IPv4{f[1].ipv4(), f[0].ipv4(), f[2].ipv4()}
	id := uint16(0)
	round := func() {
		id++
		for _, ip := range ips {
			ip.Id = id
			if _, ok := d.Add(ip, t0); ok != (ip == ips[2]) {
				t.Fatal("unexpected completion state")
			}
		}
	}
	for range 10 {
		round()
	}
	assert.Zero(t, testing.AllocsPerRun(1000, round))
}
