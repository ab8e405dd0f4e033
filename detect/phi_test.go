package detect_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
	"labwatch/testdata/scenario"
)

// TestNoPatientValueLeaves plants fictional patient values where no detector
// should read them (control ids, unknown attributes, a PHI field list) and checks
// that none reaches an alert, the saved baseline, its printed form, or an error.
func TestNoPatientValueLeaves(t *testing.T) {
	sc := scenario.Generate(scenario.DefaultOptions())
	require.NotEmpty(t, sc.Planted)
	var c collector
	e := detect.NewEngine(scenarioConfig(), c.sink)
	replay(e, sc.Events)

	// More planted values on the paths that report PHI and credentials at once.
	flow := &app.Flow{ID: 1, Transport: app.TCP, Start: sc.End,
		Client: mustAP("10.40.7.7:50000"), Server: mustAP("192.0.2.80:2575")}
	planted := append([]string{"SMITH^JOHN^Q", "19700101", "123-45-6789"}, sc.Planted...)
	for i, v := range planted {
		ts := sc.End.Add(time.Duration(i) * time.Second)
		e.Message(&app.Message{App: "hl7", Type: "ORU^R01", Flow: flow, TS: ts, ControlID: v,
			PHI: app.PHISet(app.PHIName), PHIFields: []string{"PID-5", v},
			Attrs: map[string]string{"patient": v, "user_hash": v}, Counts: map[string]int{"credentials": 1}})
		e.Anomaly(&app.Anomaly{App: "hl7", Reason: v, Flow: flow, TS: ts, Detail: "segment PID field 5 too long"})
	}
	e.Close()
	require.NotEmpty(t, c.alerts)

	assertNoLeak(t, e, c.alerts, planted)
}

func gunzip(t *testing.T, path string) []byte {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	data, err := io.ReadAll(zr)
	require.NoError(t, err)
	return data
}

// assertNoLeak writes everything the engine can show — alerts (Go and JSON),
// the saved baseline (raw and as text) and the snapshot — and fails on any
// planted value in it.
func assertNoLeak(t *testing.T, e *detect.Engine, alerts []*detect.Alert, planted []string) {
	t.Helper()
	var all bytes.Buffer
	for _, a := range alerts {
		fmt.Fprintf(&all, "%+v\n", *a)
		j, err := json.Marshal(a)
		require.NoError(t, err)
		all.Write(j)
	}
	path := filepath.Join(t.TempDir(), "b.lwb")
	require.NoError(t, e.SaveBaseline(path))
	all.Write(gunzip(t, path))
	bf, err := detect.ReadBaseline(path)
	require.NoError(t, err)
	require.NoError(t, bf.WriteText(&all))
	fmt.Fprintf(&all, "%+v", e.Snapshot())
	text := all.String()
	for _, v := range planted {
		if i := strings.Index(text, v); i >= 0 {
			t.Errorf("planted value %q leaked: …%s…", v, text[max(0, i-200):min(len(text), i+50)])
		}
	}
}
