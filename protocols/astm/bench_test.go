package astm

import (
	"fmt"
	"strings"
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// benchSession is a realistic upload: ENQ, 20 frames (H, P, O, 16 R, L), EOT
// from the analyzer, one ACK per ENQ and frame from the LIS, each its own
// segment as a capture would deliver them.
func benchSession() (c2s, s2c [][]byte, size int) {
	records := []string{
		`H|\^&|||XN-550^00-24^22723|||||LIS||P|LIS2-A2|20260304140000`,
		`P|1||LAB00042||Fictional^Patient||19700101|F`,
		`O|1|SPEC0042||^^^^WBC\^^^^RBC\^^^^HGB|R||||||N||||||||||||||F`,
	}
	for i := 1; i <= 16; i++ {
		records = append(records, fmt.Sprintf("R|%d|^^^^T%02d^1|%d.%d|10*3/uL||N||F||||20260304135900", i, i, i, i))
	}
	records = append(records, "L|1|N")
	c2s = append(c2s, []byte{enq})
	s2c = append(s2c, []byte{ack})
	for i, r := range records {
		c2s = append(c2s, []byte(frame(byte('0'+(i+1)%8), r+"\r", etx)))
		s2c = append(s2c, []byte{ack})
	}
	c2s = append(c2s, []byte{eot})
	for _, b := range c2s {
		size += len(b)
	}
	return c2s, s2c, size + len(s2c)
}

func playSession(a *Analyzer, c2s, s2c [][]byte) {
	for i, seg := range c2s {
		a.Data(app.ClientToServer, seg, t0)
		if i < len(s2c) {
			a.Data(app.ServerToClient, s2c[i], t0)
		}
	}
}

func BenchmarkLowLevel(b *testing.B) {
	c2s, s2c, size := benchSession()
	em := &prototest.NullEmitter{}
	a := NewAnalyzer(testFlow, em, nil)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		playSession(a, c2s, s2c)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
	if em.Msgs != b.N || em.Anoms != 0 {
		b.Fatalf("%d messages, %d anomalies for %d sessions", em.Msgs, em.Anoms, b.N)
	}
}

func BenchmarkParseRecords(b *testing.B) {
	c2s, _, _ := benchSession()
	var raw []string
	for _, seg := range c2s[1 : len(c2s)-1] {
		raw = append(raw, string(seg[2:len(seg)-5])) // frame text without FN and trailer
	}
	data := []byte(strings.Join(raw, ""))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if s, err := ParseRecords(data, nil); err != nil || len(s.Messages) != 1 {
			b.Fatal(err, len(s.Messages))
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
}

// TestFrameParserDoesNotAllocate locks in the steady state: once its buffers
// have grown, the analyzer parses a whole 20-frame session, emits its message,
// and allocates nothing.
func TestFrameParserDoesNotAllocate(t *testing.T) {
	c2s, s2c, _ := benchSession()
	em := &prototest.NullEmitter{}
	a := NewAnalyzer(testFlow, em, nil)
	playSession(a, c2s, s2c) // warm up
	allocs := testing.AllocsPerRun(50, func() { playSession(a, c2s, s2c) })
	if allocs != 0 {
		t.Fatalf("%v allocations per session", allocs)
	}
	if em.Msgs != 52 || em.Anoms != 0 {
		t.Fatalf("%d messages, %d anomalies", em.Msgs, em.Anoms)
	}

	// Frames split across segments go through the frame and record buffers.
	joined := []byte{}
	for _, seg := range c2s {
		joined = append(joined, seg...)
	}
	allocs = testing.AllocsPerRun(50, func() {
		for k := 0; k < len(joined); k += 7 {
			a.Data(app.ClientToServer, joined[k:min(k+7, len(joined))], t0)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per session fed in 7-byte segments", allocs)
	}
}
