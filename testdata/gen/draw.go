package gen

import (
	"strconv"
	"time"
)

// thinkGap is the pause before a flow's next exchange: short right after the
// handshake, then the configured think time.
func (g *generator) thinkGap(f *flow) int64 {
	f.tcp.exchanges++
	if f.tcp.exchanges == 1 {
		return g.r.micros(200*time.Microsecond, 3*time.Millisecond)
	}
	return g.r.expMicros(g.o.ThinkTime)
}

// at is the wall time gap after the flow's latest packet, for message timestamps.
func (g *generator) at(f *flow, gap int64) time.Time {
	return time.UnixMicro(f.tcp.now + gap).UTC()
}

// patient picks one of the fictional patients.
func (g *generator) patient() *patient { return &g.patients[g.r.IntN(len(g.patients))] }

// controlID is a message control id: the sender's prefix and a serial.
func (g *generator) controlID(sender string) string {
	g.n.control++
	prefix := sender[:min(4, len(sender))]
	s := strconv.Itoa(g.n.control)
	const width = 10
	if len(s) < width {
		s = "0000000000"[:width-len(s)] + s
	}
	return prefix + s
}

// noiseAt returns n pseudo-random bytes (n ≤ 64 KiB), shared: read, never keep.
func (g *generator) noiseAt(n int) []byte {
	off := g.r.IntN(len(g.noise) - n + 1)
	return g.noise[off : off+n]
}

// blob returns n characters of base64 text, like the instrument data blobs in
// ASTM manufacturer records; valid until the next call.
func (g *generator) blob(n int) []byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	src := g.noiseAt(n)
	g.blobBuf = g.blobBuf[:0]
	for _, c := range src {
		g.blobBuf = append(g.blobBuf, alphabet[c&63])
	}
	return g.blobBuf
}

// pdfReport returns about n bytes of base64 text that starts like a PDF file;
// valid until the next call.
func (g *generator) pdfReport(n int) []byte {
	const pdfHeader = "JVBERi0xLjcKJeLjz9MK" // "%PDF-1.7\n%âãÏÓ\n"
	body := g.blob(max(0, n-len(pdfHeader)))
	g.reportBuf = append(append(g.reportBuf[:0], pdfHeader...), body...)
	return g.reportBuf
}

// every advances counter c and is true once every period calls, at phase.
func every(c *int, period, phase int) bool {
	*c++
	return *c%period == phase
}
