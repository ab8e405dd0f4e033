package dhcp

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

func BenchmarkDatagram(b *testing.B) {
	msg := serialize(b, labExchanges()[0].msg)
	a := NewDatagramAnalyzer(testFlow, &prototest.NullEmitter{}, nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		a.Datagram(app.ClientToServer, msg, t0)
	}
}

func BenchmarkParse(b *testing.B) {
	msg := serialize(b, labExchanges()[0].msg)
	var s Summary
	cfg := DefaultConfig()
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		_, _ = parse(msg, &s, &cfg)
	}
}
