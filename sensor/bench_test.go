package sensor

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"labwatch/capture/pcapfile"
	"labwatch/testdata/gen"
)

type benchPacket struct {
	data []byte
	ci   gopacket.CaptureInfo
}

// benchPackets generates 200,000 packets of the bench profile (dense HL7, ASTM,
// DICOM, labels, TLS, DNS over many concurrent flows) and holds them in memory.
func benchPackets(b *testing.B) ([]benchPacket, layers.LinkType) {
	o := gen.Bench()
	o.TargetPackets = 200_000
	var buf bytes.Buffer
	if _, err := gen.Generate(o, &buf); err != nil {
		b.Fatal(err)
	}
	r, err := pcapgo.NewReader(&buf)
	if err != nil {
		b.Fatal(err)
	}
	var out []benchPacket
	for {
		data, ci, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return out, r.LinkType()
		}
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, benchPacket{data, ci})
	}
}

// BenchmarkPipeline measures the whole sensor — decode, flows, reassembly,
// protocol analyzers, detection, rules — on packets already in memory, with
// one worker and with two.
func BenchmarkPipeline(b *testing.B) {
	pkts, link := benchPackets(b)
	var size int64
	for _, p := range pkts {
		size += int64(len(p.data))
	}
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers-1", 2: "workers-2"}[workers], func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Workers = workers
			b.ReportAllocs()
			b.SetBytes(size)
			for b.Loop() {
				s, err := New(cfg, nil)
				if err != nil {
					b.Fatal(err)
				}
				var p pcapfile.Packet
				for _, bp := range pkts {
					p.Data, p.CI, p.LinkType = bp.data, bp.ci, link
					s.Packet(&p)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(pkts))*float64(b.N)/b.Elapsed().Seconds(), "packets/s")
		})
	}
}
