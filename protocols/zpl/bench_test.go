package zpl

import (
	"strings"
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// BenchmarkLabels measures a job of ten specimen labels delivered in 1460-byte
// segments, as a capture would.
func BenchmarkLabels(b *testing.B) {
	job := []byte(strings.Repeat(specimenLabel, 10))
	a := NewAnalyzer(testFlow, &prototest.NullEmitter{}, nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(job)))
	for b.Loop() {
		for off := 0; off < len(job); off += 1460 {
			a.Data(app.ClientToServer, job[off:min(off+1460, len(job))], t0)
		}
	}
}

func BenchmarkProbe(b *testing.B) {
	data := []byte(specimenLabel)
	b.ReportAllocs()
	for b.Loop() {
		Probe(data)
	}
}
