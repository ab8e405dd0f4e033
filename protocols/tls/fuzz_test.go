package tls

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// FuzzAnalyzer feeds arbitrary bytes to both directions of one flow, cut at
// boundaries chosen by the input, with gaps, and requires no panic, every
// message well formed and gave_up at most once. Seeds: the test hellos and the
// captures in testdata/pcap.
func FuzzAnalyzer(f *testing.F) {
	f.Add(clientHelloRecord(), uint64(0))
	f.Add(records(recordHandshake, handshake(typeServerHello, serverHelloBody(versionTLS12, 0xc02f, versionTLS13, "h2")), 7), uint64(12345))
	f.Add(appData(100), uint64(99))
	f.Add(v2Hello(0x0301), uint64(3))
	pcaps, _ := filepath.Glob("testdata/pcap/*.pcap")
	for _, p := range pcaps {
		var all []byte
		for _, s := range readPcap(f, p) {
			all = append(all, s.data...)
		}
		f.Add(all, uint64(len(all)))
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		rec := &prototest.Recorder{}
		a := NewAnalyzer(newFlow(), rec, &Config{MaxHelloBytes: 4096, MaxResyncBytes: 512, MaxViolations: 4})
		prototest.FuzzSteps(data, seed, 61, func(seed uint64, dir app.Direction, piece []byte) {
			if seed>>8&15 == 0 {
				a.Gap(dir, int(seed>>12%50)-1)
			}
			a.Data(dir, piece, t0)
		})
		a.End(app.ClientToServer)
		a.Expire()
		for _, an := range rec.Anoms {
			if an.Reason == "" || an.App != "tls" {
				t.Fatalf("bad anomaly %+v", an)
			}
		}
		rec.CheckGaveUpOnce(t)
		for _, m := range rec.Msgs {
			if m.Type != TypeClientHello && m.Type != TypeServerHello && m.Type != TypeAlert {
				t.Fatalf("bad message type %q", m.Type)
			}
		}
	})
}

// FuzzParseHello parses arbitrary bodies as both hellos.
func FuzzParseHello(f *testing.F) {
	f.Add(clientHelloBody(chromeLike))
	f.Add(serverHelloBody(versionTLS12, 0x1301, versionTLS13, "h2"))
	f.Add(binary.BigEndian.AppendUint16(nil, versionTLS12))
	f.Fuzz(func(t *testing.T, body []byte) {
		var ch ClientHello
		if ParseClientHello(body, &ch) == nil {
			_ = JA4(&ch)
			_ = JA3String(&ch)
		}
		var sh ServerHello
		if ParseServerHello(body, &sh) == nil {
			_ = JA3SString(&sh)
		}
	})
}
