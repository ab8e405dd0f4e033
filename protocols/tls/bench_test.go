package tls

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// benchFlow is a TLS 1.2 handshake followed by 64 application data records of
// 1400 bytes each way: the hellos are parsed once, the rest is skipped by
// count.
func benchFlow() (segs []segment, size int) {
	segs = append(segs,
		segment{dir: app.ClientToServer, data: clientHelloRecord()},
		segment{dir: app.ServerToClient, data: records(recordHandshake, handshake(typeServerHello, serverHelloBody(versionTLS12, 0xc02f, 0, "h2")), 1<<14)},
		segment{dir: app.ClientToServer, data: []byte{recordChangeCipherSpec, 3, 3, 0, 1, 1}},
		segment{dir: app.ServerToClient, data: []byte{recordChangeCipherSpec, 3, 3, 0, 1, 1}},
	)
	for i := 0; i < 64; i++ {
		segs = append(segs, segment{dir: app.Direction(i & 1), data: appData(1400)})
	}
	for _, s := range segs {
		size += len(s.data)
	}
	return segs, size
}

func BenchmarkAnalyzer(b *testing.B) {
	segs, size := benchFlow()
	em := &prototest.NullEmitter{}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		a := NewAnalyzer(newFlow(), em, nil)
		for _, s := range segs {
			a.Data(s.dir, s.data, t0)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flows/s")
}

// TestEncryptedRecordsDoNotAllocate locks in the hot path: once the hellos
// are parsed, application data records cost no allocation, whole or cut into
// small segments.
func TestEncryptedRecordsDoNotAllocate(t *testing.T) {
	segs, _ := benchFlow()
	em := &prototest.NullEmitter{}
	a := NewAnalyzer(newFlow(), em, nil)
	for _, s := range segs[:4] {
		a.Data(s.dir, s.data, t0)
	}
	data := appData(1400)
	allocs := testing.AllocsPerRun(100, func() {
		a.Data(app.ClientToServer, data, t0)
		for k := 0; k < len(data); k += 7 {
			a.Data(app.ServerToClient, data[k:min(k+7, len(data))], t0)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per record", allocs)
	}
	if em.Msgs != 2 || em.Anoms != 0 {
		t.Fatalf("%d messages, %d anomalies", em.Msgs, em.Anoms)
	}
}
