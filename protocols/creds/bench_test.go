package creds

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// BenchmarkFTPSession replays an FTP session: banner, login, then 200
// commands and replies after it (the steady state of a long session).
func BenchmarkFTPSession(b *testing.B) {
	steps := sessions()[0].steps
	var tail [][2][]byte
	for i := 0; i < 200; i++ {
		tail = append(tail, [2][]byte{[]byte("LIST /results/2026\r\n"), []byte("150 Here comes the listing.\r\n226 Directory send OK.\r\n")})
	}
	size := 0
	for _, s := range steps {
		size += len(s.data)
	}
	for _, t := range tail {
		size += len(t[0]) + len(t[1])
	}
	em := &prototest.NullEmitter{}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		a := NewAnalyzer(flowTo(21), em, nil)
		for _, s := range steps {
			a.Data(s.dir, []byte(s.data), t0)
		}
		for _, t := range tail {
			a.Data(app.ClientToServer, t[0], t0)
			a.Data(app.ServerToClient, t[1], t0)
		}
	}
}

func BenchmarkSNMP(b *testing.B) {
	p := snmpPacket(1, "public", 0xa0)
	d := NewDatagramAnalyzer(&app.Flow{Transport: app.UDP}, &prototest.NullEmitter{}, nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		d.Datagram(app.ClientToServer, p, t0)
	}
}

// TestCommandsDoNotAllocate locks in the steady state: after the login,
// commands and replies split into lines in place cost no allocation.
func TestCommandsDoNotAllocate(t *testing.T) {
	em := &prototest.NullEmitter{}
	a := NewAnalyzer(flowTo(21), em, nil)
	for _, s := range sessions()[0].steps {
		a.Data(s.dir, []byte(s.data), t0)
	}
	cmd, rep := []byte("LIST /results\r\n"), []byte("150 Listing.\r\n226 OK.\r\n")
	allocs := testing.AllocsPerRun(100, func() {
		a.Data(app.ClientToServer, cmd, t0)
		a.Data(app.ServerToClient, rep, t0)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per command", allocs)
	}
}
