package pcapfile

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// benchPackets is 100k packets with a lab network's size mix: mostly small
// (ACKs, ASTM frames), some full-size (HL7 results, DICOM).
func benchPackets() []testPacket {
	pkts := makePackets(100000, t0, 50*time.Microsecond, 1)
	for i := range pkts {
		size := 66
		switch i % 10 {
		case 0, 1, 2:
			size = 1514
		case 3, 4:
			size = 400
		}
		pkts[i].data = make([]byte, size)
		pkts[i].data[0] = byte(i)
	}
	return pkts
}

func BenchmarkRead(b *testing.B) {
	pkts := benchPackets()
	pcap := pcapgoBytes(b, true, layers.LinkTypeEthernet, pkts)
	pcapng := pcapngBytes(b, []layers.LinkType{layers.LinkTypeEthernet}, pkts)
	inputs := []struct {
		name string
		data []byte
		disk bool
	}{
		{"pcap/disk", pcap, true},
		{"pcap/memory", pcap, false},
		{"pcapng/disk", pcapng, true},
		{"pcap.gz/disk", gzipBytes(b, pcap), true},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			path := writeTemp(b, "bench", in.data)
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			start := time.Now()
			n := 0
			for b.Loop() {
				var r *Reader
				var err error
				if in.disk {
					r, err = Open([]string{path})
				} else {
					r, err = openBytes(bytes.NewReader(in.data))
				}
				if err != nil {
					b.Fatal(err)
				}
				var p Packet
				for {
					if err := r.Next(&p); err == io.EOF {
						break
					}
					n++
				}
				_ = r.Close()
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "packets/s")
		})
	}
}

func BenchmarkMergeThree(b *testing.B) {
	var paths []string
	for k := range 3 {
		pkts := makePackets(100000/3, t0.Add(time.Duration(k)*time.Microsecond), 30*time.Microsecond, byte(k))
		paths = append(paths, writeTemp(b, "m.pcap", pcapgoBytes(b, true, layers.LinkTypeEthernet, pkts)))
	}
	b.ReportAllocs()
	start := time.Now()
	n := 0
	for b.Loop() {
		r, err := Open(paths)
		if err != nil {
			b.Fatal(err)
		}
		var p Packet
		for r.Next(&p) == nil {
			n++
		}
		_ = r.Close()
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "packets/s")
}
