package detect_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
	"labwatch/protocols/astm"
	"labwatch/protocols/hl7"
)

const corpusDir = "../../shared/corpus"

// engineEmitter hands analyzer output to an engine (the sensor's wiring,
// without capture).
type engineEmitter struct{ e *detect.Engine }

func (x engineEmitter) Message(m *app.Message) { x.e.Message(m) }
func (x engineEmitter) Anomaly(a *app.Anomaly) { x.e.Anomaly(a) }

// corpusSoftware runs one sample file through its protocol analyzer, sent by
// an analyzer at 10.9.0.2 to a LIS at 10.9.0.1, and lists the software
// identities detection kept.
func corpusSoftware(t *testing.T, proto, path string) []string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	e := detect.NewEngine(scenarioConfig(), nil)
	f := flowOf("10.9.0.2:40000", "10.9.0.1:2575", t0)
	e.FlowStart(f)
	var an app.Analyzer
	switch proto {
	case "hl7":
		cfg := hl7.DefaultConfig()
		an = hl7.NewAnalyzer(f, engineEmitter{e}, &cfg)
		// The files hold bare messages: frame them as MLLP, as on the wire.
		data = append(append([]byte{0x0b}, data...), 0x1c, 0x0d)
	case "astm":
		cfg := astm.DefaultConfig()
		an = astm.NewAnalyzer(f, engineEmitter{e}, &cfg)
	}
	an.Data(app.ClientToServer, data, t0)
	an.End(app.ClientToServer)
	an.Expire()
	var out []string
	for _, d := range e.Snapshot().Devices {
		for _, s := range d.Software {
			out = append(out, fmt.Sprintf("%s %s %s [%s] %s", d.IP, s.App, s.Kind, s.Context, s.Value))
		}
	}
	return out
}

// TestGoldenCorpusSoftware pins the software identities found in the public
// HL7 and ASTM samples (HL7 SFT, ASTM H-5 software versions).
func TestGoldenCorpusSoftware(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("corpus absent")
	}
	got := map[string][]string{}
	for _, proto := range []string{"hl7", "astm"} {
		files, _ := filepath.Glob(filepath.Join(corpusDir, proto, "*"))
		sort.Strings(files)
		for _, p := range files {
			if sw := corpusSoftware(t, proto, p); len(sw) > 0 {
				got[proto+"/"+filepath.Base(p)] = sw
			}
		}
	}
	golden := filepath.Join("testdata", "golden", "software_corpus.json")
	if *update {
		out, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(golden, append(out, '\n'), 0o644))
		return
	}
	raw, err := os.ReadFile(golden)
	require.NoError(t, err, "run with -update to write it")
	var want map[string][]string
	require.NoError(t, json.Unmarshal(raw, &want))
	assert.Equal(t, want, got)
}
