package poct1a

import (
	"testing"

	"labwatch/protocols/internal/prototest"
)

// BenchmarkSession measures a device session: HEL, DST, OBS.R01, EOT and the
// manager's ACKs, each message in segments of 1460 bytes as TCP delivers.
func BenchmarkSession(b *testing.B) {
	var chunks []chunk
	size := 0
	for _, c := range []struct {
		dir  bool
		file string
	}{{true, "hel_r01.xml"}, {false, "ack_r01_hel.xml"}, {true, "dst_r01.xml"}, {false, "ack_r01_dst.xml"},
		{true, "obs_r01.xml"}, {false, "ack_r01_obs.xml"}, {true, "eot_r01.xml"}} {
		d := c2s
		if !c.dir {
			d = s2c
		}
		data := sample(b, c.file)
		size += len(data)
		for off := 0; off < len(data); off += 1460 {
			chunks = append(chunks, chunk{d, data[off:min(off+1460, len(data))], 0})
		}
	}
	em := &prototest.NullEmitter{}
	a := NewAnalyzer(newTestFlow(), em, nil)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, ch := range chunks {
			a.Data(ch.dir, ch.data, t0)
		}
	}
	if em.Anoms != 0 {
		b.Fatalf("%d anomalies", em.Anoms)
	}
}

// BenchmarkParse measures decoding one OBS.R01 with encoding/xml.
func BenchmarkParse(b *testing.B) {
	data := sample(b, "obs_r01.xml")
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFraming measures finding message boundaries in a burst of
// messages, without decoding them.
func BenchmarkFraming(b *testing.B) {
	var data []byte
	for _, f := range []string{"hel_r01.xml", "dst_r01.xml", "obs_r01.xml", "eot_r01.xml"} {
		data = append(data, sample(b, f)...)
	}
	f := framer{maxBytes: 1 << 20, maxDepth: 32, maxResync: 1 << 20, st: sIdle, accept: true}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for rest := data; len(rest) > 0; {
			n, ev := f.step(rest)
			rest = rest[n:]
			if ev == evComplete {
				f.accept = true // every message here starts at '<' right after the last
			}
		}
	}
}
