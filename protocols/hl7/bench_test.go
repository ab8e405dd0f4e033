package hl7

import (
	"testing"

	"labwatch/protocols/app"
)

// BenchmarkParseMessage parses an ORU^R01 of 1.8 KB (17 segments,
// 8 OBX): messages/s is 1e9 / ns/op, MB/s is reported by SetBytes.
func BenchmarkParseMessage(b *testing.B) {
	msg := readTestdata(b, "oru_r01_cbc.hl7")
	cfg := DefaultConfig()
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, err := ParseMessage(msg, &cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseMessageLarge is the 1.2 MB result with an embedded PDF.
func BenchmarkParseMessageLarge(b *testing.B) {
	msg := readCorpus(b, "virtalabs-hl7__oru_r01_v23_embedded_pdf_1mb.hl7")
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, err := ParseMessage(msg, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMLLPFramer runs the framer alone over a stream of frames cut in
// 1460-byte segments.
func BenchmarkMLLPFramer(b *testing.B) {
	frame := mllp(string(readTestdata(b, "oru_r01_cbc.hl7")), string(readTestdata(b, "ack_aa.hl7")))
	var stream []byte
	for range 100 {
		stream = append(stream, frame...)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	var f mllpFramer
	for b.Loop() {
		for data := stream; len(data) > 0; {
			seg := data[:min(len(data), 1460)]
			data = data[len(seg):]
			for len(seg) > 0 {
				seg = seg[f.next(seg).n:]
			}
		}
	}
}

// BenchmarkAnalyzer runs a request and its ACK through the whole analyzer,
// both in 1460-byte segments: framing, buffering, parsing, correlation and
// emission.
func BenchmarkAnalyzer(b *testing.B) {
	req := mllp(string(readTestdata(b, "oru_r01_cbc.hl7")))
	rsp := mllp(string(readTestdata(b, "ack_aa.hl7")))
	a := NewAnalyzer(testFlow, discard{}, nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(req) + len(rsp)))
	for b.Loop() {
		for data := req; len(data) > 0; {
			seg := data[:min(len(data), 1460)]
			a.Data(app.ClientToServer, seg, testT0)
			data = data[len(seg):]
		}
		a.Data(app.ServerToClient, rsp, testT0)
	}
}
