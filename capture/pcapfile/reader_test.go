package pcapfile

import (
	"encoding/binary"
	"io"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormats(t *testing.T) {
	// Sub-microsecond parts only survive in nanosecond files.
	pkts := makePackets(12, t0.Add(123456789), 1500*time.Microsecond+7, 0xA0)
	micro := func(ts time.Time) time.Time { return ts.Truncate(time.Microsecond) }
	nano := func(ts time.Time) time.Time { return ts }
	cases := []struct {
		name  string
		data  []byte
		link  layers.LinkType
		round func(time.Time) time.Time
	}{
		{"pcap little-endian micro (pcapgo)", pcapgoBytes(t, false, layers.LinkTypeEthernet, pkts), layers.LinkTypeEthernet, micro},
		{"pcap little-endian nano (pcapgo)", pcapgoBytes(t, true, layers.LinkTypeRaw, pkts), layers.LinkTypeRaw, nano},
		{"pcap big-endian micro", pcapBytes(binary.BigEndian, false, layers.LinkTypeNull, 65535, pkts), layers.LinkTypeNull, micro},
		{"pcap big-endian nano", pcapBytes(binary.BigEndian, true, layers.LinkTypeEthernet, 0, pkts), layers.LinkTypeEthernet, nano},
		{"pcap little-endian by hand", pcapBytes(binary.LittleEndian, false, layers.LinkTypeLinuxSLL, 262144, pkts), layers.LinkTypeLinuxSLL, micro},
		{"pcapng", pcapngBytes(t, []layers.LinkType{layers.LinkTypeEthernet}, pkts), layers.LinkTypeEthernet, nano},
		{"pcap gzip", gzipBytes(t, pcapBytes(binary.BigEndian, true, layers.LinkTypeEthernet, 0, pkts)), layers.LinkTypeEthernet, nano},
		{"pcapng gzip", gzipBytes(t, pcapngBytes(t, []layers.LinkType{layers.LinkTypeRaw}, pkts)), layers.LinkTypeRaw, nano},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The file name says nothing: detection is by content.
			res := readAll(t, writeTemp(t, "capture.bin", tc.data))
			require.Empty(t, res.problems)
			require.Len(t, res.packets, len(pkts))
			for i, got := range res.packets {
				assert.Equal(t, pkts[i].data, got.Data, "packet %d", i)
				assert.True(t, tc.round(pkts[i].ts).Equal(got.TS), "packet %d: %v != %v", i, got.TS, pkts[i].ts)
				assert.Equal(t, tc.link, got.Link)
				assert.Equal(t, 0, got.Source)
			}
		})
	}
}

func TestPcapngInterfacesWithDifferentLinkTypes(t *testing.T) {
	pkts := makePackets(10, t0, time.Millisecond, 0xB0)
	for i := range pkts {
		pkts[i].iface = i % 2
	}
	data := pcapngBytes(t, []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL}, pkts)
	res := readAll(t, writeTemp(t, "two.pcapng", data))
	require.Empty(t, res.problems)
	require.Len(t, res.packets, 10)
	for i, got := range res.packets {
		want := layers.LinkTypeEthernet
		if i%2 == 1 {
			want = layers.LinkTypeLinuxSLL
		}
		assert.Equal(t, want, got.Link, "packet %d", i)
	}
}

func TestPcapngSkipsBlocksItDoesNotNeed(t *testing.T) {
	var b ngBuilder
	b.section().iface(layers.LinkTypeEthernet, 0)
	b.block(4, []byte{1, 0, 4, 0, 10, 0, 0, 1, 'h', 'o', 's', 't', 0, 0, 0, 0}) // name resolution
	b.enhanced(0, t0, []byte("first packet"), option(1, []byte("a comment")), option(0, nil))
	b.block(5, make([]byte, 12))                  // interface statistics
	b.block(0x0BAD, []byte("custom block data!")) // unknown type
	b.block(10, make([]byte, 8))                  // decryption secrets
	b.enhanced(0, t0.Add(time.Second), []byte("second packet"))
	res := readAll(t, writeTemp(t, "extras.pcapng", b.Bytes()))
	require.Empty(t, res.problems)
	require.Len(t, res.packets, 2)
	assert.Equal(t, "second packet", string(res.packets[1].Data))
}

func TestSecondSectionInBigEndian(t *testing.T) {
	var b ngBuilder
	b.section().iface(layers.LinkTypeEthernet, 0).enhanced(0, t0, []byte("little"))
	// A second section, big-endian, with its own interface (raw IP).
	be := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	shb := append(be(ngByteOrderMagic), 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
	idb := []byte{0, byte(layers.LinkTypeRaw), 0, 0, 0, 0, 0, 0}
	us := uint64(t0.Add(time.Second).UnixMicro())
	epb := append(be(0), be(uint32(us>>32))...)
	epb = append(epb, be(uint32(us))...)
	epb = append(epb, be(3)...)
	epb = append(epb, be(3)...)
	epb = append(epb, 'b', 'i', 'g', 0)
	for _, blk := range []struct {
		kind uint32
		body []byte
	}{{blockSection, shb}, {blockInterface, idb}, {blockEnhanced, epb}} {
		size := uint32(12 + len(blk.body))
		b.Write(be(blk.kind))
		b.Write(be(size))
		b.Write(blk.body)
		b.Write(be(size))
	}
	res := readAll(t, writeTemp(t, "mixed.pcapng", b.Bytes()))
	require.Empty(t, res.problems)
	require.Len(t, res.packets, 2)
	assert.Equal(t, "big", string(res.packets[1].Data))
	assert.Equal(t, layers.LinkTypeRaw, res.packets[1].Link)
	assert.True(t, t0.Add(time.Second).Equal(res.packets[1].TS))
}

func TestMergeThreeFilesInTimeOrder(t *testing.T) {
	// Three files whose packets interleave, with equal timestamps across files.
	a := makePackets(300, t0, 3*time.Millisecond, 'a')
	b := makePackets(200, t0.Add(time.Millisecond), 4*time.Millisecond, 'b')
	c := makePackets(250, t0, 6*time.Millisecond, 'c')
	paths := []string{
		writeTemp(t, "a.pcap", pcapgoBytes(t, true, layers.LinkTypeEthernet, a)),
		writeTemp(t, "b.pcapng", pcapngBytes(t, []layers.LinkType{layers.LinkTypeRaw}, b)),
		writeTemp(t, "c.pcap.gz", gzipBytes(t, pcapBytes(binary.BigEndian, true, layers.LinkTypeNull, 0, c))),
	}
	res := readAll(t, paths...)
	require.Empty(t, res.problems)
	require.Len(t, res.packets, len(a)+len(b)+len(c))
	seen := map[int]int{}
	for i, got := range res.packets {
		assert.Equal(t, []byte{'a', 'b', 'c'}[got.Source], got.Data[0], "packet %d data comes from its source", i)
		assert.Equal(t, []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw, layers.LinkTypeNull}[got.Source], got.Link)
		// Within each file, packets keep their order.
		assert.Equal(t, seen[got.Source], int(got.Data[1])<<8|int(got.Data[2]))
		seen[got.Source]++
		if i == 0 {
			continue
		}
		prev := res.packets[i-1]
		require.False(t, got.TS.Before(prev.TS), "packet %d goes back in time", i)
		if got.TS.Equal(prev.TS) {
			assert.Greater(t, got.Source, prev.Source, "ties go in file order")
		}
	}
}

func TestStdinPipe(t *testing.T) {
	pkts := makePackets(50, t0, time.Millisecond, 0xC0)
	data := gzipBytes(t, pcapngBytes(t, []layers.LinkType{layers.LinkTypeEthernet}, pkts))
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	saved := os.Stdin
	os.Stdin = pr
	t.Cleanup(func() { os.Stdin = saved; _ = pr.Close() })
	go func() {
		_, _ = pw.Write(data)
		_ = pw.Close()
	}()
	other := writeTemp(t, "other.pcap", pcapgoBytes(t, false, layers.LinkTypeEthernet, makePackets(5, t0, time.Second, 0xD0)))

	r, err := Open([]string{other, "-"})
	require.NoError(t, err)
	res := drain(t, r)
	require.NoError(t, r.Close())
	require.Empty(t, res.problems)
	assert.Len(t, res.packets, 55)
	assert.Equal(t, "stdin", r.Name(1))
	read, total := r.Progress()
	assert.Equal(t, int64(0), total, "a pipe has no known size")
	assert.Greater(t, read, int64(len(data)))
}

func TestZeroLengthPackets(t *testing.T) {
	pkts := makePackets(6, t0, time.Millisecond, 0)
	for i := range pkts {
		if i%2 == 0 {
			pkts[i].data = []byte{}
		}
	}
	for name, data := range map[string][]byte{
		"pcap":   pcapBytes(binary.LittleEndian, false, layers.LinkTypeEthernet, 65535, pkts),
		"pcapng": pcapngBytes(t, []layers.LinkType{layers.LinkTypeEthernet}, pkts),
	} {
		t.Run(name, func(t *testing.T) {
			res := readAll(t, writeTemp(t, "zero."+name, data))
			require.Empty(t, res.problems)
			require.Len(t, res.packets, 6)
			for i, got := range res.packets {
				assert.Len(t, got.Data, len(pkts[i].data))
			}
		})
	}
}

func TestHeaderOnlyFileHasNoPackets(t *testing.T) {
	res := readAll(t, writeTemp(t, "empty.pcap", pcapBytes(binary.LittleEndian, false, layers.LinkTypeEthernet, 65535, nil)))
	assert.Empty(t, res.packets)
	assert.Empty(t, res.problems)
}

func TestProgressCountsStoredBytes(t *testing.T) {
	plain := pcapgoBytes(t, false, layers.LinkTypeEthernet, makePackets(20000, t0, time.Millisecond, 1))
	zipped := gzipBytes(t, plain)
	paths := []string{writeTemp(t, "p.pcap", plain), writeTemp(t, "z.pcap.gz", zipped)}
	r, err := Open(paths)
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()
	read, total := r.Progress()
	assert.Equal(t, int64(len(plain)+len(zipped)), total)
	assert.Less(t, read, total, "Open reads only the headers and first buffers")
	drain(t, r)
	read, _ = r.Progress()
	assert.Equal(t, total, read)
}

func TestNextAfterCloseIsEOF(t *testing.T) {
	r, err := Open([]string{writeTemp(t, "x.pcap", pcapgoBytes(t, false, layers.LinkTypeEthernet, makePackets(3, t0, time.Second, 1)))})
	require.NoError(t, err)
	var p Packet
	require.NoError(t, r.Next(&p))
	require.NoError(t, r.Close())
	assert.ErrorIs(t, r.Next(&p), io.EOF)
}

func TestNextDoesNotAllocate(t *testing.T) {
	for name, data := range map[string][]byte{
		"pcap":   pcapgoBytes(t, false, layers.LinkTypeEthernet, makePackets(3000, t0, time.Millisecond, 1)),
		"pcapng": pcapngBytes(t, []layers.LinkType{layers.LinkTypeEthernet}, makePackets(3000, t0, time.Millisecond, 1)),
	} {
		t.Run(name, func(t *testing.T) {
			r, err := Open([]string{writeTemp(t, "steady."+name, data)})
			require.NoError(t, err)
			defer func() { require.NoError(t, r.Close()) }()
			var p Packet
			for range 100 { // warm up: buffers reach their size
				require.NoError(t, r.Next(&p))
			}
			allocs := testing.AllocsPerRun(2000, func() {
				if err := r.Next(&p); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs)
		})
	}
}

func TestProgressAndProblemsFromAnotherGoroutine(t *testing.T) {
	pkts := makePackets(20000, t0, time.Millisecond, 1)
	good := pcapgoBytes(t, false, layers.LinkTypeEthernet, pkts)
	cut := good[:pcapOffset(pkts[:1000])+3]
	r, err := Open([]string{writeTemp(t, "good.pcap", good), writeTemp(t, "cut.pcap", cut)})
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()
	done := make(chan struct{})
	go func() {
		defer close(done)
		last := int64(0)
		for range 1000 {
			read, total := r.Progress()
			assert.GreaterOrEqual(t, read, last)
			assert.LessOrEqual(t, read, total)
			last = read
			_ = r.Problems()
		}
	}()
	res := drain(t, r)
	<-done
	assert.Len(t, res.packets, 21000)
	assert.Len(t, res.problems, 1)
}

func TestPcapngSimpleAndObsoletePacketBlocks(t *testing.T) {
	var b ngBuilder
	b.section().iface(layers.LinkTypeEthernet, 8) // snap length 8
	// Simple packet: original length 12, of which the snap length kept 8.
	b.block(blockSimple, append(le32(12), "simple!!"...))
	// Obsolete packet block: interface 0 (2 bytes), drops (2 bytes), then as an
	// enhanced packet.
	body := epbBody(0, t0, []byte("old"), 3)
	b.block(blockPacket, body)
	res := readAll(t, writeTemp(t, "old.pcapng", b.Bytes()))
	require.Empty(t, res.problems)
	require.Len(t, res.packets, 2)
	assert.Equal(t, "simple!!", string(res.packets[0].Data))
	assert.True(t, res.packets[0].TS.IsZero(), "simple packets carry no time")
	assert.Equal(t, "old", string(res.packets[1].Data))
	assert.True(t, t0.Equal(res.packets[1].TS))
}
