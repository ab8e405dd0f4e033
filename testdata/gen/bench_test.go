package gen

import "testing"

// BenchmarkGenerate measures write speed; SetBytes is the file size, so MB/s
// is capture bytes written per second.
func BenchmarkGenerate(b *testing.B) {
	bench := Bench()
	bench.TargetPackets = 200_000
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"demo", Demo()},
		{"bench-200k", bench},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var truth Truth
			for b.Loop() {
				var err error
				truth, err = Generate(tc.o, discard{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(truth.FileBytes)
			b.ReportMetric(float64(truth.Packets)*float64(b.N)/b.Elapsed().Seconds(), "packets/s")
		})
	}
}
