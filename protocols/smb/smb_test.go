package smb

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var t0 = time.Unix(1700000000, 0)

func flow(port uint16) *app.Flow {
	return &app.Flow{Transport: app.TCP, Client: netip.MustParseAddrPort("10.40.4.31:50000"),
		Server: netip.AddrPortFrom(netip.MustParseAddr("10.40.1.10"), port)}
}

// frame builds a NetBIOS session message holding an SMB message with the given
// protocol id byte and body length.
func frame(id byte, body int) []byte {
	n := 4 + body
	b := []byte{0x00, byte(n >> 16), byte(n >> 8), byte(n), id, 'S', 'M', 'B'}
	return append(b, make([]byte, body)...)
}

func TestDialectFamilies(t *testing.T) {
	var rec prototest.Recorder
	f := flow(445)
	a := NewAnalyzer(f, &rec, nil)
	// A client's SMB1 negotiate offering SMB2, an SMB2 answer, then SMB2 both ways.
	c2s := append(frame(0xff, 100), frame(0xfe, 200)...)
	s2c := append(frame(0xfe, 150), frame(0xfe, 300)...)
	a.Data(app.ClientToServer, c2s, t0)
	a.Data(app.ServerToClient, s2c, t0)
	assert.Equal(t, map[string]int{"SMB1": 1, "SMB2": 2}, rec.TypeCounts(), rec.Dump())
	for _, m := range rec.Msgs {
		if m.Type == "SMB1" {
			assert.Equal(t, app.ClientToServer, m.Dir, "only the client offered SMB1")
		}
	}
	assert.Empty(t, rec.Anoms)
}

func TestServerSpeaksSMB1AcrossSegmentsOnPort139(t *testing.T) {
	var rec prototest.Recorder
	a := NewAnalyzer(flow(139), &rec, nil)
	// Port 139: a NetBIOS session request/positive response first.
	req := append([]byte{0x81, 0, 0, 68}, make([]byte, 68)...)
	resp := []byte{0x82, 0, 0, 0}
	s2c := append(resp, frame(0xff, 90)...)
	a.Data(app.ClientToServer, req, t0)
	for i := range s2c { // byte by byte
		a.Data(app.ServerToClient, s2c[i:i+1], t0)
	}
	if assert.Len(t, rec.Msgs, 1, rec.Dump()) {
		assert.Equal(t, "SMB1", rec.Msgs[0].Type)
		assert.Equal(t, app.ServerToClient, rec.Msgs[0].Dir)
	}
	assert.Empty(t, rec.Anoms)
}

func TestEncryptedTransformMarksFlow(t *testing.T) {
	var rec prototest.Recorder
	f := flow(445)
	a := NewAnalyzer(f, &rec, nil)
	a.Data(app.ServerToClient, frame(0xfd, 64), t0)
	assert.True(t, f.Encrypted)
	assert.Equal(t, []string{"SMB3_encrypted"}, rec.Types())
}

func TestGarbageGivesUpOnce(t *testing.T) {
	var rec prototest.Recorder
	a := NewAnalyzer(flow(445), &rec, nil)
	for i := 0; i < 10; i++ {
		a.Data(app.ClientToServer, []byte{0x00, 0, 0, 4, 'J', 'U', 'N', 'K'}, t0)
	}
	assert.Empty(t, rec.Msgs)
	assert.True(t, rec.GaveUp())
	assert.Equal(t, 1, countReason(rec.Reasons(), ReasonGaveUp), "given up once")
}

func countReason(rs []string, r string) int {
	n := 0
	for _, x := range rs {
		if x == r {
			n++
		}
	}
	return n
}

func TestProbe(t *testing.T) {
	assert.Equal(t, app.Match, Probe(frame(0xff, 10)))
	assert.Equal(t, app.Match, Probe(frame(0xfe, 10)))
	assert.Equal(t, app.NeedMore, Probe([]byte{0, 0}))
	assert.Equal(t, app.NoMatch, Probe([]byte("GET / HTTP/1.1")))
	assert.Equal(t, app.NoMatch, Probe([]byte{0, 0, 0, 4, 'X', 'Y', 'Z', 'W'}))
}

func FuzzAnalyzer(f *testing.F) {
	f.Add(frame(0xff, 20), frame(0xfe, 30), uint64(1))
	f.Add([]byte{0x81, 0, 0, 2, 1, 2}, []byte{0x85, 0, 0, 0}, uint64(2))
	f.Fuzz(func(t *testing.T, c2s, s2c []byte, seed uint64) {
		var rec prototest.Recorder
		a := NewAnalyzer(flow(445), &rec, nil)
		rng := rand.New(rand.NewPCG(seed, seed))
		prototest.Interleave(rng, [2][]byte{c2s, s2c}, prototest.UpTo(rng, 64), func(d app.Direction, b []byte) {
			a.Data(d, b, t0)
		})
		if len(rec.Msgs) > 8 {
			t.Fatalf("%d messages: at most one per family and direction", len(rec.Msgs))
		}
	})
}

func BenchmarkFrames(b *testing.B) {
	data := append(frame(0xfe, 1400), frame(0xfe, 1400)...)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		a := NewAnalyzer(flow(445), &prototest.NullEmitter{}, nil)
		a.Data(app.ClientToServer, data, t0)
	}
}
