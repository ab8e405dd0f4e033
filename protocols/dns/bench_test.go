package dns

import (
	"testing"

	"github.com/gopacket/gopacket/layers"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

func BenchmarkDatagram(b *testing.B) {
	q := query(b, 5, "lis.lab.example.org", layers.DNSTypeA)
	resp := answerA(b, 5, "ntp.lab.example.org", "10.40.0.53", "10.40.1.10")
	a := NewDatagramAnalyzer(testFlow, &prototest.NullEmitter{}, nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(q) + len(resp)))
	for b.Loop() {
		a.Datagram(app.ClientToServer, q, t0)
		a.Datagram(app.ServerToClient, resp, t0)
	}
}

func BenchmarkParse(b *testing.B) {
	resp := answerA(b, 5, "ntp.lab.example.org", "10.40.0.53", "10.40.1.10")
	var s Summary
	cfg := DefaultConfig()
	b.ReportAllocs()
	b.SetBytes(int64(len(resp)))
	for b.Loop() {
		_, _ = parse(resp, &s, &cfg)
	}
}
