package report

import (
	"bytes"
	"io"
	"testing"
)

func BenchmarkWriteHTML(b *testing.B) {
	d, _ := runDemo(b, demoOptions())
	var buf bytes.Buffer
	if err := WriteHTML(&buf, d); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := WriteHTML(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteInventoryCSV(b *testing.B) {
	d, _ := runDemo(b, demoOptions())
	var buf bytes.Buffer
	if err := WriteInventoryCSV(&buf, d.Summary.Inventory); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := WriteInventoryCSV(io.Discard, d.Summary.Inventory); err != nil {
			b.Fatal(err)
		}
	}
}
