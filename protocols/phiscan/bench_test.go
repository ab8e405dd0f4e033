package phiscan

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// BenchmarkAnalyzerText scans one 64 KiB direction of typical text in 1460-byte
// segments: the cost of an unclaimed clear-text flow.
func BenchmarkAnalyzerText(b *testing.B) {
	data := textStreams(1, 9)[0]
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	em := &prototest.NullEmitter{}
	for b.Loop() {
		a := NewAnalyzer(testFlow, em, nil)
		for off := 0; off < len(data); off += 1460 {
			a.Data(app.ClientToServer, data[off:min(off+1460, len(data))], t0)
		}
		a.Expire()
	}
}

// BenchmarkScanRandom scans 64 KiB of random bytes with Scan.
func BenchmarkScanRandom(b *testing.B) {
	data := randomStreams(1, 9)[0]
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Scan(data, nil)
	}
}
