package poct1a

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

var t0 = time.Date(2026, 3, 4, 12, 58, 12, 0, time.UTC)

const (
	c2s = app.ClientToServer
	s2c = app.ServerToClient
)

// recorder is an app.Emitter keeping deep copies of what it gets.
type recorder struct {
	msgs  []app.Message
	anoms []app.Anomaly
}

func (r *recorder) Message(m *app.Message) {
	c := *m
	c.Counts = maps.Clone(m.Counts)
	c.Attrs = maps.Clone(m.Attrs)
	c.PHIFields = append([]string(nil), m.PHIFields...)
	if len(c.PHIFields) == 0 {
		c.PHIFields = nil
	}
	r.msgs = append(r.msgs, c)
}

func (r *recorder) Anomaly(a *app.Anomaly) { r.anoms = append(r.anoms, *a) }

func (r *recorder) reasons() []string {
	var out []string
	for _, a := range r.anoms {
		out = append(out, a.Reason)
	}
	return out
}

func (r *recorder) types() []string {
	var out []string
	for _, m := range r.msgs {
		out = append(out, m.Type)
	}
	return out
}

type nullEmitter struct{ msgs, anoms int }

func (n *nullEmitter) Message(*app.Message) { n.msgs++ }
func (n *nullEmitter) Anomaly(*app.Anomaly) { n.anoms++ }

func newTestFlow() *app.Flow { return &app.Flow{ID: 7, Transport: app.TCP} }

// sample reads a message of testdata/messages.
func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/messages", name))
	require.NoError(t, err)
	return b
}

// chunk is one write of one side, at a capture time offset.
type chunk struct {
	dir  app.Direction
	data []byte
	at   time.Duration
}

// play feeds chunks to a new analyzer.
func play(chunks []chunk, cfg *Config) *recorder {
	rec := &recorder{}
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
