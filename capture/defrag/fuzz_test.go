package defrag

import (
	"bytes"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// FuzzDefrag has two halves. First, payload is cut into fragments at random
// 8-byte boundaries, shuffled and partly repeated, and must come back whole,
// exactly once. Second, plan is read as raw fragment headers against tight
// caps: whatever they claim, nothing panics and the caps hold.
func FuzzDefrag(f *testing.F) {
	f.Add([]byte("a datagram of a few dozen bytes, cut in pieces"), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(bytes.Repeat([]byte{0xAB}, 4000), []byte{0xff, 0x80, 0x10, 0x00, 0x05, 0x31, 0x02, 0x01, 0xb9, 0x00, 0x00, 0x08})
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, payload, plan []byte) {
		reassembleShuffled(t, payload, plan)
		replayHeaders(t, plan)
	})
}

func reassembleShuffled(t *testing.T, payload, plan []byte) {
	if len(payload) == 0 {
		return
	}
	payload = payload[:min(len(payload), maxIPv4Length-20)]
	rng := rand.New(rand.NewPCG(uint64(len(plan)), uint64(len(payload))))
	for _, b := range plan {
		rng = rand.New(rand.NewPCG(rng.Uint64(), uint64(b)))
	}
	var frags []frag
	for off := 0; off < len(payload); {
		end := min(off+8*(1+rng.IntN(200)), len(payload))
		frags = append(frags, frag{id: 1, off: off, more: end < len(payload), data: payload[off:end]})
		off = end
	}
	for range rng.IntN(len(frags) + 1) { // identical repeats
		frags = append(frags, frags[rng.IntN(len(frags))])
	}
	rng.Shuffle(len(frags), func(i, j int) { frags[i], frags[j] = frags[j], frags[i] })

	d := New(Config{MaxFragmentsPerDatagram: 1 << 20})
	completed := 0
	for i, fr := range frags {
		out, ok := d.Add(fr.ipv4(), t0)
		if !ok {
			continue
		}
		completed++
		if completed == 1 && !bytes.Equal(out, payload) {
			t.Fatalf("fragment %d completed a wrong payload (%d bytes, want %d)", i, len(out), len(payload))
		}
	}
	if completed == 0 {
		t.Fatalf("%d fragments never completed", len(frags))
	}
	if st := d.Stats(); st.Overlaps != 0 {
		t.Fatalf("identical repeats counted as overlaps: %+v", st)
	}
}

// replayHeaders reads plan as 6-byte fragment descriptions: key, flags,
// offset (2 bytes), length, fill.
func replayHeaders(t *testing.T, plan []byte) {
	cfg := Config{MaxDatagrams: 4, MaxBytes: 20000, MaxFragmentsPerDatagram: 8, Timeout: time.Second}
	d := New(cfg)
	data := make([]byte, 255*4)
	now := t0
	ip := &layers.IPv4{Version: 4, IHL: 5, Protocol: layers.IPProtocolUDP, DstIP: net.IPv4(10, 40, 0, 5).To4()}
	for ; len(plan) >= 6; plan = plan[6:] {
		k, flags, n := plan[0], plan[1], int(plan[4])*4
		ip.SrcIP = net.IPv4(10, 0, 0, k%3).To4()
		ip.Id = uint16(k>>2) % 3
		ip.Flags = layers.IPv4Flag(flags & 1)
		ip.FragOffset = (uint16(plan[2])<<8 | uint16(plan[3])) & 0x1fff
		ip.Length = uint16(20 + n + int(flags>>7)*8) // top bit: cut by the snap length
		for i := range n {
			data[i] = plan[5] + byte(i)
		}
		ip.Payload = data[:n]
		now = now.Add(time.Duration(flags>>1&0x3f) * 50 * time.Millisecond)
		out, ok := d.Add(ip, now)
		if ok && len(out) > maxIPv4Length-20 {
			t.Fatalf("payload of %d bytes", len(out))
		}
		if flags&0x40 != 0 {
			d.Expire(now)
		}
		if d.held > cfg.MaxBytes || len(d.table) > cfg.MaxDatagrams || d.held < 0 {
			t.Fatalf("caps broken: %d bytes, %d datagrams", d.held, len(d.table))
		}
		checkAgeList(t, d)
	}
}

// checkAgeList verifies the age list and the table hold the same datagrams.
func checkAgeList(t *testing.T, d *Defragmenter) {
	n, held := 0, 0
	for dg := d.oldest; dg != nil; dg = dg.newer {
		if d.table[dg.key] != dg {
			t.Fatal("age list and table disagree")
		}
		n++
		held += cap(dg.data)
	}
	for _, s := range d.spare {
		held += cap(s.data)
	}
	if n != len(d.table) || held != d.held {
		t.Fatalf("list has %d datagrams and %d bytes; table %d, held %d", n, held, len(d.table), d.held)
	}
}
