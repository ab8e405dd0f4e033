package http

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// benchSteps is a FHIR read: request with Basic authentication and a chunked
// Bundle response, each cut into 1400-byte segments.
func benchSteps() (segs []step, size int) {
	c := conversations()[1] // fhir_search_chunked_bundle
	for _, s := range c.steps {
		for p := s.data; len(p) > 0; {
			n := min(len(p), 1400)
			segs = append(segs, step{dir: s.dir, data: p[:n]})
			size += n
			p = p[n:]
		}
	}
	return segs, size
}

func BenchmarkAnalyzer(b *testing.B) {
	steps, size := benchSteps()
	data := make([][]byte, len(steps))
	for i, s := range steps {
		data[i] = []byte(s.data)
	}
	em := &prototest.NullEmitter{}
	a := NewAnalyzer(newFlow(), em, nil)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		for i, s := range steps {
			a.Data(s.dir, data[i], t0)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
	if em.Anoms != 0 {
		b.Fatalf("%d anomalies", em.Anoms)
	}
}

// TestSkippedBodyDoesNotAllocate locks in the steady state for bodies that are
// not inspected (images, binaries): headers parsed in place, body skipped by
// count, the message reused — only the strings copied from headers allocate.
func TestSkippedBodyDoesNotAllocate(t *testing.T) {
	req := []byte(request("GET /img/logo.png HTTP/1.1", "Host: x\r\n", ""))
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 65536\r\n\r\n")
	body := make([]byte, 1400)
	em := &prototest.NullEmitter{}
	a := NewAnalyzer(newFlow(), em, nil)
	run := func() {
		a.Data(app.ClientToServer, req, t0)
		a.Data(app.ServerToClient, resp, t0)
		for left := 65536; left > 0; left -= len(body) {
			a.Data(app.ServerToClient, body[:min(left, len(body))], t0)
		}
	}
	run()
	allocs := testing.AllocsPerRun(20, run)
	// host and path strings for the request, status for the response
	if allocs > 4 {
		t.Fatalf("%v allocations per exchange", allocs)
	}
	if em.Anoms != 0 || em.Msgs != 44 {
		t.Fatalf("%d messages, %d anomalies", em.Msgs, em.Anoms)
	}
}
