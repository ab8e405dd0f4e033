package pcapfile

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/stretchr/testify/require"
)

// t0 is the capture time of the first synthetic packet.
var t0 = time.Date(2026, 3, 4, 14, 3, 12, 0, time.UTC)

// testPacket is one synthetic packet to write.
type testPacket struct {
	ts    time.Time
	data  []byte
	iface int // pcapng interface index
}

// makePackets returns n packets step apart from start; the first byte of each
// is tag, so the file a packet came from can be checked after a merge.
func makePackets(n int, start time.Time, step time.Duration, tag byte) []testPacket {
	pkts := make([]testPacket, n)
	for i := range pkts {
		data := make([]byte, 20+i%40)
		data[0], data[1], data[2] = tag, byte(i>>8), byte(i)
		for j := 3; j < len(data); j++ {
			data[j] = byte(j * 7)
		}
		pkts[i] = testPacket{ts: start.Add(time.Duration(i) * step), data: data}
	}
	return pkts
}

// pcapBytes writes a classic pcap by hand, in either byte order, so the
// big-endian layouts pcapgo's writer cannot produce are covered too.
func pcapBytes(order binary.ByteOrder, nano bool, link layers.LinkType, snaplen uint32, pkts []testPacket) []byte {
	var b bytes.Buffer
	magic := uint32(0xA1B2C3D4)
	if nano {
		magic = 0xA1B23C4D
	}
	hdr := make([]byte, 24)
	order.PutUint32(hdr[0:], magic)
	order.PutUint16(hdr[4:], 2)
	order.PutUint16(hdr[6:], 4)
	order.PutUint32(hdr[16:], snaplen)
	order.PutUint32(hdr[20:], uint32(link))
	b.Write(hdr)
	for _, p := range pkts {
		b.Write(pcapRecord(order, nano, p.ts, p.data, len(p.data)))
	}
	return b.Bytes()
}

// pcapRecord is one record: 16-byte header and the packet bytes.
func pcapRecord(order binary.ByteOrder, nano bool, ts time.Time, data []byte, orig int) []byte {
	rec := make([]byte, 16, 16+len(data))
	frac := ts.Nanosecond() / 1000
	if nano {
		frac = ts.Nanosecond()
	}
	order.PutUint32(rec[0:], uint32(ts.Unix()))
	order.PutUint32(rec[4:], uint32(frac))
	order.PutUint32(rec[8:], uint32(len(data)))
	order.PutUint32(rec[12:], uint32(orig))
	return append(rec, data...)
}

// pcapgoBytes writes a little-endian pcap with pcapgo's own writer.
func pcapgoBytes(t testing.TB, nano bool, link layers.LinkType, pkts []testPacket) []byte {
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	if nano {
		w = pcapgo.NewWriterNanos(&b)
	}
	require.NoError(t, w.WriteFileHeader(65535, link))
	for _, p := range pkts {
		ci := gopacket.CaptureInfo{Timestamp: p.ts, CaptureLength: len(p.data), Length: len(p.data)}
		require.NoError(t, w.WritePacket(ci, p.data))
	}
	return b.Bytes()
}

// pcapngBytes writes a pcapng with pcapgo's writer, one interface per link type.
func pcapngBytes(t testing.TB, links []layers.LinkType, pkts []testPacket) []byte {
	var b bytes.Buffer
	intf := pcapgo.DefaultNgInterface
	intf.LinkType = links[0]
	w, err := pcapgo.NewNgWriterInterface(&b, intf, pcapgo.DefaultNgWriterOptions)
	require.NoError(t, err)
	for _, link := range links[1:] {
		intf.LinkType = link
		_, err := w.AddInterface(intf)
		require.NoError(t, err)
	}
	for _, p := range pkts {
		ci := gopacket.CaptureInfo{Timestamp: p.ts, CaptureLength: len(p.data), Length: len(p.data), InterfaceIndex: p.iface}
		require.NoError(t, w.WritePacket(ci, p.data))
	}
	require.NoError(t, w.Flush())
	return b.Bytes()
}

func gzipBytes(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

func writeTemp(t testing.TB, name string, data []byte) string {
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// ngBuilder writes little-endian pcapng blocks by hand, so tests can damage
// exactly one field.
type ngBuilder struct{ bytes.Buffer }

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// block appends a block with a correct leading and trailing length.
func (b *ngBuilder) block(kind uint32, body []byte) *ngBuilder {
	body = padded(body)
	size := uint32(12 + len(body))
	b.Write(le32(kind))
	b.Write(le32(size))
	b.Write(body)
	b.Write(le32(size))
	return b
}

func (b *ngBuilder) section() *ngBuilder {
	body := le32(ngByteOrderMagic)
	body = binary.LittleEndian.AppendUint16(body, 1)
	body = binary.LittleEndian.AppendUint16(body, 0)
	body = binary.LittleEndian.AppendUint64(body, ^uint64(0)) // section length unknown
	return b.block(blockSection, body)
}

func (b *ngBuilder) iface(link layers.LinkType, snaplen uint32) *ngBuilder {
	body := binary.LittleEndian.AppendUint16(nil, uint16(link))
	body = binary.LittleEndian.AppendUint16(body, 0)
	body = binary.LittleEndian.AppendUint32(body, snaplen)
	return b.block(blockInterface, body)
}

// enhanced appends an enhanced packet block; timestamps use the default
// microsecond resolution.
func (b *ngBuilder) enhanced(iface uint32, ts time.Time, data []byte, opts ...[]byte) *ngBuilder {
	return b.block(blockEnhanced, epbBody(iface, ts, data, len(data), opts...))
}

func epbBody(iface uint32, ts time.Time, data []byte, caplen int, opts ...[]byte) []byte {
	us := uint64(ts.UnixMicro())
	body := le32(iface)
	body = append(body, le32(uint32(us>>32))...)
	body = append(body, le32(uint32(us))...)
	body = append(body, le32(uint32(caplen))...)
	body = append(body, le32(uint32(len(data)))...)
	body = append(body, padded(data)...)
	for _, o := range opts {
		body = append(body, o...)
	}
	return body
}

// option encodes one pcapng option with its padding.
func option(code uint16, value []byte) []byte {
	o := binary.LittleEndian.AppendUint16(nil, code)
	o = binary.LittleEndian.AppendUint16(o, uint16(len(value)))
	return append(o, padded(value)...)
}

func padded(b []byte) []byte {
	out := append([]byte(nil), b...)
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	return out
}

// gotPacket is a delivered packet, its bytes copied.
type gotPacket struct {
	TS     time.Time
	Data   []byte
	Link   layers.LinkType
	Source int
}

type readResult struct {
	packets  []gotPacket
	problems []Problem
	consumed int64 // uncompressed bytes framed (readBytes only)
}

// readAll opens paths and drains the reader.
func readAll(t testing.TB, paths ...string) readResult {
	t.Helper()
	r, err := Open(paths)
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()
	return drain(t, r)
}

func drain(t testing.TB, r *Reader) readResult {
	t.Helper()
	var res readResult
	r.Each(func(p *Packet) {
		res.packets = append(res.packets, gotPacket{
			TS: p.CI.Timestamp, Data: append([]byte(nil), p.Data...), Link: p.LinkType, Source: p.Source,
		})
		require.Len(t, p.Data, p.CI.CaptureLength)
	})
	res.problems = r.Problems()
	return res
}

// openBytes opens in-memory captures through the same path as files, minus
// the file system: fast enough for fuzzing and exhaustive cuts.
func openBytes(inputs ...io.Reader) (*Reader, error) {
	r := &Reader{}
	for i, in := range inputs {
		s := &source{name: "memory", index: i}
		if err := s.start(in, &r.read); err != nil {
			return nil, err
		}
		r.sources = append(r.sources, s)
	}
	r.prime()
	return r, nil
}

// readBytes drains in-memory captures.
func readBytes(t testing.TB, inputs ...io.Reader) (readResult, error) {
	t.Helper()
	r, err := openBytes(inputs...)
	if err != nil {
		return readResult{}, err
	}
	res := drain(t, r)
	for _, s := range r.sources {
		res.consumed += s.fr.offset
	}
	return res, nil
}
