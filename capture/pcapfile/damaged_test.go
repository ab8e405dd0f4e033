package pcapfile

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// damaged is a capture whose good part is followed by one bad record.
type damaged struct {
	data    []byte
	packets int   // packets before the bad record, all of which must be delivered
	offset  int64 // where the bad record starts
	code    string
	reason  string
}

func TestDamagedPcap(t *testing.T) {
	le := binary.LittleEndian
	good := makePackets(5, t0, time.Millisecond, 0xE0)
	head := pcapBytes(le, false, layers.LinkTypeEthernet, 65535, good)
	at := int64(len(head))
	rec := pcapRecord(le, false, t0.Add(time.Second), bytes.Repeat([]byte{0x55}, 40), 40)
	with := func(tail []byte) []byte { return append(append([]byte(nil), head...), tail...) }
	header := func(caplen, orig uint32) []byte {
		h := make([]byte, 16)
		le.PutUint32(h[8:], caplen)
		le.PutUint32(h[12:], orig)
		return h
	}
	cases := map[string]damaged{
		"cut inside the packet bytes":    {with(rec[:30]), 5, at, CodeTruncated, "capture ends inside a record (30 of 56 bytes)"},
		"cut inside the record header":   {with(rec[:10]), 5, at, CodeTruncated, "capture ends inside a record (10 of 16 bytes)"},
		"captured length above the cap":  {with(header(300000, 300000)), 5, at, CodeOverLimit, "captured length 300000 exceeds the 262144-byte limit"},
		"captured length above original": {with(header(40, 30)), 5, at, CodeBadLength, "captured length 40 exceeds original length 30"},
	}
	runDamaged(t, cases)
}

func TestDamagedPcapng(t *testing.T) {
	good := func() *ngBuilder {
		b := &ngBuilder{}
		b.section().iface(layers.LinkTypeEthernet, 0)
		for i := range 4 {
			b.enhanced(0, t0.Add(time.Duration(i)*time.Millisecond), []byte("good packet"))
		}
		return b
	}
	// rawBlock writes a block whose lengths are given, not computed.
	rawBlock := func(kind, lead uint32, body []byte, trail uint32) []byte {
		out := append(le32(kind), le32(lead)...)
		out = append(out, body...)
		return append(out, le32(trail)...)
	}
	cases := map[string]func(b *ngBuilder){
		"length not a multiple of 4": func(b *ngBuilder) { b.Write(rawBlock(blockEnhanced, 34, make([]byte, 22), 34)) },
		"length below the minimum":   func(b *ngBuilder) { b.Write(rawBlock(blockEnhanced, 20, make([]byte, 8), 20)) },
		"length above the cap":       func(b *ngBuilder) { b.Write(rawBlock(blockEnhanced, 0x7ffffff0, make([]byte, 64), 0)) },
		"trailer differs":            func(b *ngBuilder) { b.Write(rawBlock(blockEnhanced, 40, epbBody(0, t0, []byte("12345678"), 8), 44)) },
		"packet overruns its block":  func(b *ngBuilder) { b.Write(rawBlock(blockEnhanced, 40, epbBody(0, t0, []byte("12345678"), 100), 40)) },
		"packet above the cap": func(b *ngBuilder) {
			b.Write(rawBlock(blockEnhanced, 40, epbBody(0, t0, []byte("12345678"), 300000), 40))
		},
		"option overruns its block": func(b *ngBuilder) {
			opt := append(binary.LittleEndian.AppendUint16(nil, 1), 200, 0, 'x', 'x', 'x', 'x')
			b.block(blockEnhanced, epbBody(0, t0, []byte("12345678"), 8, opt))
		},
		"options above the cap": func(b *ngBuilder) {
			big := bytes.Repeat([]byte{'c'}, 40000)
			b.block(blockEnhanced, epbBody(0, t0, []byte("12345678"), 8, option(1, big), option(1, big)))
		},
		"packet for an interface never described": func(b *ngBuilder) { b.enhanced(5, t0, []byte("orphan")) },
		"too many interfaces": func(b *ngBuilder) {
			for range MaxInterfaces {
				b.iface(layers.LinkTypeEthernet, 0)
			}
		},
		"skipped block with a bad trailer": func(b *ngBuilder) { b.Write(rawBlock(4, 16, make([]byte, 4), 20)) },
		"cut inside a block": func(b *ngBuilder) {
			b.Write(rawBlock(blockEnhanced, 40, epbBody(0, t0, []byte("12345678"), 8), 40)[:30])
		},
		"cut inside a block header": func(b *ngBuilder) { b.Write([]byte{6, 0, 0, 0, 44}) },
		"section with a bad byte order": func(b *ngBuilder) {
			b.Write(rawBlock(blockSection, 28, []byte{1, 2, 3, 4, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 28))
		},
		"simple packet overruns its block": func(b *ngBuilder) { b.Write(rawBlock(blockSimple, 20, append(le32(64), 1, 2, 3, 4), 20)) },
	}
	want := map[string][2]string{
		"length not a multiple of 4":              {CodeBadLength, "enhanced packet block length 34 is not a multiple of 4"},
		"length below the minimum":                {CodeBadLength, "enhanced packet block length 20 is below its minimum of 32"},
		"length above the cap":                    {CodeOverLimit, "enhanced packet block length 2147483632 exceeds the 327744-byte limit"},
		"trailer differs":                         {CodeBadLength, "block length 44 at the end does not match 40 at the start"},
		"packet overruns its block":               {CodeBadLength, "captured length 100 does not fit in a 40-byte enhanced packet block"},
		"packet above the cap":                    {CodeOverLimit, "captured length 300000 exceeds the 262144-byte limit"},
		"option overruns its block":               {CodeBadLength, "option 1 of 200 bytes overruns its block"},
		"options above the cap":                   {CodeOverLimit, "80008 bytes of block options exceed the 65536-byte limit"},
		"packet for an interface never described": {CodeRejected, "block rejected by pcapgo: Interface id 5 not present in section (have only 1 interfaces)"},
		"too many interfaces":                     {CodeOverLimit, "more than 256 interface blocks in one section"},
		"skipped block with a bad trailer":        {CodeBadLength, "block length 20 at the end does not match 16 at the start"},
		"cut inside a block":                      {CodeTruncated, "capture ends inside a block (30 of 40 bytes)"},
		"cut inside a block header":               {CodeTruncated, "capture ends inside a block (5 of 8 bytes)"},
		"section with a bad byte order":           {CodeBadHeader, "section header has a bad byte-order magic 0x01020304"},
		"simple packet overruns its block":        {CodeBadLength, "captured length 64 does not fit in a 20-byte simple packet block"},
	}
	cases2 := map[string]damaged{}
	for name, damage := range cases {
		b := good()
		at := int64(b.Len())
		if name == "too many interfaces" {
			at += int64(20 * (MaxInterfaces - 1)) // the 257th interface of the section is the bad one
		}
		damage(b)
		cases2[name] = damaged{b.Bytes(), 4, at, want[name][0], want[name][1]}
	}
	runDamaged(t, cases2)
}

func TestDamagedGzip(t *testing.T) {
	pkts := makePackets(3000, t0, time.Millisecond, 0xF0)
	plain := pcapBytes(binary.LittleEndian, true, layers.LinkTypeEthernet, 65535, pkts)
	zipped := gzipBytes(t, plain)

	t.Run("cut", func(t *testing.T) {
		res := readAll(t, writeTemp(t, "cut.pcap.gz", zipped[:len(zipped)/2]))
		require.Len(t, res.problems, 1)
		n := len(res.packets)
		assert.Greater(t, n, 100)
		assert.Less(t, n, len(pkts))
		p := res.problems[0]
		// Deflate may stop on a record boundary or inside one.
		assert.True(t, strings.HasPrefix(p.Reason, "compressed data ends "), p.Reason)
		assert.Equal(t, CodeTruncated, p.Code)
		assert.Equal(t, pcapOffset(pkts[:n]), p.Offset, "the offset is the first record not delivered")
	})
	t.Run("bad checksum", func(t *testing.T) {
		bad := append([]byte(nil), zipped...)
		bad[len(bad)-8] ^= 0xff // CRC-32 of the uncompressed data
		res := readAll(t, writeTemp(t, "crc.pcap.gz", bad))
		assert.Len(t, res.packets, len(pkts), "the packets themselves were all read")
		require.Len(t, res.problems, 1)
		assert.Equal(t, "read error between records: gzip: invalid checksum", res.problems[0].Reason)
		assert.Equal(t, CodeReadError, res.problems[0].Code)
		assert.Equal(t, int64(len(plain)), res.problems[0].Offset)
	})
}

// pcapOffset is where the record after pkts starts in a pcap file.
func pcapOffset(pkts []testPacket) int64 {
	off := int64(pcapFileHeaderLen)
	for _, p := range pkts {
		off += pcapRecordHeaderLen + int64(len(p.data))
	}
	return off
}

func TestDamagedFileDoesNotStopTheOthers(t *testing.T) {
	a := makePackets(100, t0, time.Millisecond, 'a')
	b := makePackets(100, t0, time.Millisecond, 'b')
	bData := pcapgoBytes(t, false, layers.LinkTypeEthernet, b)
	cut := pcapOffset(b[:40]) + 5
	res := readAll(t,
		writeTemp(t, "a.pcap", pcapgoBytes(t, false, layers.LinkTypeEthernet, a)),
		writeTemp(t, "b.pcap", bData[:cut]),
	)
	assert.Len(t, res.packets, 140)
	require.Len(t, res.problems, 1)
	assert.Equal(t, pcapOffset(b[:40]), res.problems[0].Offset)
	assert.Contains(t, res.problems[0].File, "b.pcap")
	for i := 1; i < len(res.packets); i++ {
		assert.False(t, res.packets[i].TS.Before(res.packets[i-1].TS))
	}
}

func runDamaged(t *testing.T, cases map[string]damaged) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := writeTemp(t, "damaged", tc.data)
			res := readAll(t, path)
			assert.Len(t, res.packets, tc.packets, "every packet before the damage is delivered")
			require.Len(t, res.problems, 1)
			assert.Equal(t, Problem{File: path, Offset: tc.offset, Code: tc.code, Reason: tc.reason}, res.problems[0])
		})
	}
}
