package capture

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/require"

	"labwatch/capture/pcapfile"
	"labwatch/testdata/gen"
)

type frame struct {
	data []byte
	ci   gopacket.CaptureInfo
	link layers.LinkType
}

// loadFrames generates a dense lab capture and keeps its packets in memory, so
// that benchmarks measure the engine and not the disk.
func loadFrames(b *testing.B, packets int) []frame {
	o := gen.Bench()
	o.TargetPackets = packets
	o.ConcurrentFlows = 1000
	data, _, err := gen.Capture(o)
	require.NoError(b, err)
	path := filepath.Join(b.TempDir(), "bench.pcap")
	require.NoError(b, os.WriteFile(path, data, 0o600))
	r, err := pcapfile.Open([]string{path})
	require.NoError(b, err)
	defer r.Close()
	var out []frame
	var p pcapfile.Packet
	for {
		if err := r.Next(&p); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(b, err)
		}
		out = append(out, frame{append([]byte(nil), p.Data...), p.CI, p.LinkType})
	}
	return out
}

// BenchmarkEngine runs decode, defragmentation, the flow table and TCP reassembly
// over a dense generated capture with analyzers that do nothing; one op is one
// packet.
func BenchmarkEngine(b *testing.B) {
	frames := loadFrames(b, 200_000)
	var bytes int64
	for _, f := range frames {
		bytes += int64(len(f.data))
	}
	b.SetBytes(bytes / int64(len(frames)))
	b.ReportAllocs()
	b.ResetTimer()
	var e *Engine
	for i := 0; i < b.N; i++ {
		k := i % len(frames)
		if k == 0 {
			if e != nil {
				e.Close()
			}
			e = NewEngine(DefaultConfig(), nopHandler{})
		}
		f := &frames[k]
		e.Packet(f.data, f.ci, f.link)
	}
}

// BenchmarkDecode measures the layer decoder alone.
func BenchmarkDecode(b *testing.B) {
	frames := loadFrames(b, 20_000)
	d := NewDecoder()
	var out Decoded
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := &frames[i%len(frames)]
		d.Decode(f.data, f.link, &out)
	}
}
