package poct1a

import (
	"path/filepath"
	"testing"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var t0 = time.Date(2026, 3, 4, 12, 58, 12, 0, time.UTC)

const (
	c2s = app.ClientToServer
	s2c = app.ServerToClient
)

func newTestFlow() *app.Flow { return &app.Flow{ID: 7, Transport: app.TCP} }

// sample reads a message of testdata/messages.
func sample(t testing.TB, name string) []byte {
	t.Helper()
	return prototest.ReadFile(t, filepath.Join("testdata/messages", name))
}

// chunk is one write of one side, at a capture time offset.
type chunk struct {
	dir  app.Direction
	data []byte
	at   time.Duration
}

// play feeds chunks to a new analyzer.
func play(chunks []chunk, cfg *Config) *prototest.Recorder {
	rec := &prototest.Recorder{}
	a := NewAnalyzer(newTestFlow(), rec, cfg)
	for _, ch := range chunks {
		a.Data(ch.dir, ch.data, t0.Add(ch.at))
	}
	a.End(c2s)
	a.End(s2c)
	a.Expire()
	return rec
}

// Fictional patient and operator values planted in the samples; none may
// come out of the package.
var planted = []string{"PLANTMRN0042", "PLANTMRN0043", "Fictional", "Jane", "19700101",
	"RN-PLANT-7731", "RN-PLANT-7732", "Pl4nted!pw", "Nurse", "venous"}
