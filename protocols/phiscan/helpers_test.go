package phiscan

import (
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var (
	t0       = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	testFlow = &app.Flow{ID: 1, Transport: app.TCP}
)

// scanStream feeds data to a fresh analyzer in pieces of size step (0: whole)
// and returns what it emitted.
func scanStream(data []byte, step int, cfg *Config) *prototest.Recorder {
	r := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, r, cfg)
	if step <= 0 {
		step = len(data) + 1
	}
	for off := 0; off < len(data); off += step {
		a.Data(app.ClientToServer, data[off:min(off+step, len(data))], t0)
	}
	a.Expire()
	return r
}
