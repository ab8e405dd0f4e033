package gen

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChecksumsAreValid(t *testing.T) {
	for _, link := range []LinkType{LinkEthernet, LinkRaw} {
		t.Run(string(link), func(t *testing.T) {
			o := Demo()
			o.Link = link
			data, truth := generate(t, o)
			frames, lt := readFrames(t, data)
			_, st := decodeCapture(t, frames, lt)
			assert.Zero(t, st.badIPChecksums, "IPv4 header checksums")
			assert.Zero(t, st.badTCPChecksums, "TCP checksums")
			assert.Zero(t, st.badUDPChecksums, "UDP checksums")
			assert.Greater(t, st.checkedTCPFrames, truth.Packets/2)
			assert.Equal(t, truth.Events["fragment"], st.datagrams, "fragmented datagrams reassemble")
		})
	}
}

// TestDemoHasEveryImpairment finds each impairment in the capture itself, not
// only in the truth.
func TestDemoHasEveryImpairment(t *testing.T) {
	c := demo(t)
	o, truth := c.o, c.truth
	frames, lt := readFrames(t, c.data)
	segs, st := decodeCapture(t, frames, lt)

	vlanConns := map[streamKey]bool{}
	qinqConns := map[streamKey]bool{}
	v6Conns := map[streamKey]bool{}
	vlanIDs := map[uint16]bool{}
	resets := 0
	for _, s := range segs {
		if s.tcp == nil {
			continue
		}
		k := connKey(s)
		switch len(s.tags) {
		case 1:
			vlanConns[k] = true
			vlanIDs[s.tags[0]] = true
		case 2:
			qinqConns[k] = true
			assert.Equal(t, []uint16{vlanService, vlanLab}, s.tags)
		}
		if s.v6 {
			v6Conns[k] = true
			assert.True(t, s.src.Addr().Is6() && s.src.Addr().As16()[0] == 0xfd, "IPv6 flows use ULA addresses")
		}
		if s.tcp.RST {
			resets++
		}
	}
	dirs := tcpDirections(segs)
	retransmits, reorders, losses := 0, 0, 0
	for _, st := range truth.Streams {
		for d, key := range []streamKey{{st.Client, st.Server}, {st.Server, st.Client}} {
			sc := dirs[key]
			require.NotNil(t, sc, "no packets for %v", key)
			retransmits += sc.retransmits
			reorders += sc.reorders
			_, have := sc.reassemble(t, st.Dirs[d].Bytes)
			losses += len(holes(have))
		}
	}

	want := map[string]int{
		"retransmit": o.Retransmits, "reorder": o.Reorders, "loss": o.Losses,
		"vlan": o.VLAN, "qinq": o.QinQ, "fragment": o.Fragments, "ipv6": o.IPv6Flows,
	}
	for k, n := range want {
		require.Positive(t, n, "the demo should ask for %s", k)
		assert.Equal(t, n, truth.Events[k], "truth of %s", k)
	}
	assert.Equal(t, o.Retransmits, retransmits, "retransmitted segments in the capture")
	assert.Equal(t, o.Reorders, reorders, "out-of-order segments in the capture")
	assert.Equal(t, o.Losses, losses, "holes in the captured streams")
	assert.Len(t, vlanConns, o.VLAN, "802.1Q-tagged connections")
	assert.Len(t, vlanIDs, 2, "two VLANs")
	assert.Len(t, qinqConns, o.QinQ, "QinQ connections")
	assert.Len(t, v6Conns, o.IPv6Flows, "IPv6 connections")
	assert.Equal(t, o.Fragments, st.datagrams, "fragmented datagrams")
	assert.Positive(t, st.lastFirst, "a datagram whose last fragment comes first")
	assert.Equal(t, truth.Events["fragment_out_of_order"], st.lastFirst)
	assert.Positive(t, resets)
	assert.Equal(t, truth.Events["rst"], resets)
}

// connKey names a TCP connection the same way from both directions.
func connKey(s seg) streamKey {
	if s.src.String() < s.dst.String() {
		return streamKey{s.src, s.dst}
	}
	return streamKey{s.dst, s.src}
}

// TestStreamsMatchTruth reassembles every TCP direction of the capture and
// compares it byte for byte with the truth: what the capture holds equals the
// payload outside the lost ranges.
func TestStreamsMatchTruth(t *testing.T) {
	c := demo(t)
	frames, lt := readFrames(t, c.data)
	segs, _ := decodeCapture(t, frames, lt)
	checkStreams(t, segs, c.truth)
}

func checkStreams(t testing.TB, segs []seg, truth Truth) {
	t.Helper()
	dirs := tcpDirections(segs)
	syns := 0
	for _, s := range segs {
		if s.tcp != nil && s.tcp.SYN && !s.tcp.ACK {
			syns++
		}
	}
	require.Equal(t, syns, len(truth.Streams), "one stream truth per connection")
	for i, st := range truth.Streams {
		for d, key := range []streamKey{{st.Client, st.Server}, {st.Server, st.Client}} {
			dt := st.Dirs[d]
			sc := dirs[key]
			require.NotNil(t, sc, "stream %d direction %d has no packets", i, d)
			require.Equal(t, dt.Bytes, dt.Delivered+dt.Lost, "stream %d", i)
			require.Len(t, dt.Payload, dt.Bytes, "stream %d payload", i)
			buf, have := sc.reassemble(t, dt.Bytes)
			got := holes(have)
			if len(got) == 0 {
				got = nil
			}
			require.Equal(t, dt.LostRanges, got, "stream %d direction %d lost ranges", i, d)
			delivered := 0
			for j := range buf {
				if have[j] {
					delivered++
					if buf[j] != dt.Payload[j] {
						t.Fatalf("stream %d direction %d differs at byte %d", i, d, j)
					}
				}
			}
			require.Equal(t, dt.Delivered, delivered, "stream %d direction %d", i, d)
		}
	}
}

func TestFlowAndDeviceCounts(t *testing.T) {
	c := demo(t)
	frames, lt := readFrames(t, c.data)
	segs, _ := decodeCapture(t, frames, lt)
	flows := map[[3]string]bool{}
	devices := map[string]bool{}
	for _, s := range segs {
		devices[s.src.Addr().String()] = true
		devices[s.dst.Addr().String()] = true
		proto := "tcp"
		if s.udp != nil {
			proto = "udp"
		}
		k := connKey(s)
		flows[[3]string{proto, k.src.String(), k.dst.String()}] = true
	}
	assert.Equal(t, c.truth.Flows, len(flows))
	assert.Equal(t, c.truth.Devices, len(devices))
	assert.Equal(t, c.o.DNSQueries, c.truth.Messages["dns"]["query"])
}
