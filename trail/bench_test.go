package trail_test

import (
	"bytes"
	"testing"

	"labwatch/trail"
)

func BenchmarkSeal(b *testing.B) {
	var c trail.Chain
	a := sampleAlert(1)
	b.ReportAllocs()
	b.SetBytes(int64(len(trail.Line(a))))
	for b.Loop() {
		c.Seal(a)
	}
}

func BenchmarkVerify(b *testing.B) {
	data := join(chainLines(b, 1000))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, brk := trail.Verify(bytes.NewReader(data)); brk != nil {
			b.Fatal(brk)
		}
	}
}
