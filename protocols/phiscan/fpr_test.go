package phiscan

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
	"labwatch/testdata/gen"
)

// flowBytes is the size of each synthetic flow direction: the default budget.
const flowBytes = 64 << 10

// flagged counts the directions in which the analyzer reported PHI.
func flagged(streams [][]byte) int {
	n := 0
	for _, s := range streams {
		if r := scanStream(s, 1460, nil); len(r.Msgs) > 0 {
			n++
		}
	}
	return n
}

// randomStreams are uniformly random bytes: compressed or encrypted payloads.
func randomStreams(n int, seed uint64) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]byte, n)
	for i := range out {
		b := make([]byte, flowBytes)
		for k := range b {
			b[k] = byte(rng.Uint32())
		}
		out[i] = b
	}
	return out
}

var (
	words    = strings.Fields("the order result sample queue analyzer backup job report server status request session lab tube rack reagent lot calibration control shift update export import adobe born rebirth dobby name user device printer label")
	services = []string{"lis-api", "middleware", "qc-export", "reagent-inventory", "backup", "printer-spool"}
)

// textStreams are typical clear text a lab network carries that is not patient
// data: JSON logs, HTML pages, HTTP headers, syslog lines and CSV exports, with
// the usual look-alikes (dates, times, phone numbers, order and lot numbers,
// versions, UUIDs, "name" keys next to dates).
func textStreams(n int, seed uint64) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 2))
	w := func() string { return words[rng.IntN(len(words))] }
	date := func() string { return fmt.Sprintf("20%02d-%02d-%02d", 20+rng.IntN(7), 1+rng.IntN(12), 1+rng.IntN(28)) }
	lines := []func() string{
		func() string {
			return fmt.Sprintf(`{"ts":"%sT08:%02d:%02d.%03dZ","level":"info","service":"%s","name":"%s %s","msg":"%s %s done","duration_ms":%d,"request_id":"%08x-%04x-%04x-%04x-%012x","client":"10.40.%d.%d"}`+"\n",
				date(), rng.IntN(60), rng.IntN(60), rng.IntN(1000), services[rng.IntN(len(services))], w(), w(), w(), w(),
				rng.IntN(5000), rng.Uint32(), rng.IntN(65536), rng.IntN(65536), rng.IntN(65536), rng.Int64N(1<<48), rng.IntN(256), rng.IntN(256))
		},
		func() string {
			return fmt.Sprintf("<tr><td>Order #%06d</td><td>%s %s</td><td>$%d.%02d</td><td>%02d/%02d/20%02d</td><td>Call 555-%03d-%04d</td></tr>\n",
				rng.IntN(1000000), w(), w(), rng.IntN(500), rng.IntN(100), 1+rng.IntN(12), 1+rng.IntN(28), 20+rng.IntN(7), rng.IntN(1000), rng.IntN(10000))
		},
		func() string {
			return fmt.Sprintf("GET /api/v%d/%s/%d HTTP/1.1\r\nHost: lis.lab.example.org\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/%d.0.%d.%d\r\nDate: Mon, %02d Mar 2026 08:%02d:00 GMT\r\nCookie: session=%016x\r\n\r\n",
				1+rng.IntN(3), w(), rng.IntN(100000), 100+rng.IntN(30), rng.IntN(9999), rng.IntN(200), 1+rng.IntN(28), rng.IntN(60), rng.Uint64())
		},
		func() string {
			return fmt.Sprintf("<134>1 %sT08:%02d:%02dZ %s %s %d - - %s %s finished, %d items, version %d.%d.%d\n",
				date(), rng.IntN(60), rng.IntN(60), services[rng.IntN(len(services))], w(), rng.IntN(65536), w(), w(), rng.IntN(1000), rng.IntN(10), rng.IntN(30), rng.IntN(300))
		},
		func() string {
			return fmt.Sprintf("RGT-%04d,LOT%06d,%s,%d,%s,%s\n", rng.IntN(10000), rng.IntN(1000000), date(), rng.IntN(500), w(), w())
		},
		func() string {
			return fmt.Sprintf(`{"name":"%s-%s","created":"%s","born_on_host":"%s","birth_time":"%s","dob_flag":false}`+"\n", w(), w(), date(), w(), date())
		},
	}
	out := make([][]byte, n)
	for i := range out {
		var b strings.Builder
		b.WriteString("<html><head><title>Lab report</title></head><body>\n")
		for b.Len() < flowBytes {
			b.WriteString(lines[rng.IntN(len(lines))]())
		}
		out[i] = []byte(b.String()[:flowBytes])
	}
	return out
}

// TestFalsePositiveRate measures how often the scanner reports PHI in traffic
// that carries none. The numbers are logged (go test -v -run FalsePositive) and
// quoted in README.md.
func TestFalsePositiveRate(t *testing.T) {
	if testing.Short() {
		t.Skip("measures 32 MiB")
	}
	random := randomStreams(256, 1)
	text := textStreams(256, 2)
	fr, ft := flagged(random), flagged(text)
	t.Logf("random binary: %d of %d directions of 64 KiB flagged", fr, len(random))
	t.Logf("typical text (JSON logs, HTML, HTTP, syslog, CSV): %d of %d directions of 64 KiB flagged", ft, len(text))
	assert.Zero(t, fr)
	assert.Zero(t, ft)
}

// TestGeneratedCapture runs every TCP direction of the demo capture through the
// scanner: TLS must stay quiet; HL7 directions carrying PID segments and ZPL
// labels with MRNs are found (the parsers report them too; this is the safety
// net's recall on them).
func TestGeneratedCapture(t *testing.T) {
	o := gen.Demo()
	o.KeepPayload = true
	_, truth, err := gen.Capture(o)
	require.NoError(t, err)
	type tally struct {
		Dirs    int      `json:"dirs"`
		Flagged int      `json:"flagged"`
		Fields  []string `json:"fields"`
	}
	by := map[string]*tally{}
	for _, st := range truth.Streams {
		for d := range st.Dirs {
			p := st.Dirs[d].Payload
			if len(p) == 0 {
				continue
			}
			key := fmt.Sprintf("%s %s", st.App, app.Direction(d))
			if by[key] == nil {
				by[key] = &tally{}
			}
			by[key].Dirs++
			if r := scanStream(p, 1460, nil); len(r.Msgs) > 0 {
				by[key].Flagged++
				for _, f := range r.Msgs[0].PHIFields {
					if !slices.Contains(by[key].Fields, f) {
						by[key].Fields = append(by[key].Fields, f)
					}
				}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(by)) {
		slices.Sort(by[k].Fields)
		t.Logf("%-10s %3d of %3d directions flagged %v", k, by[k].Flagged, by[k].Dirs, by[k].Fields)
	}
	for _, k := range []string{"tls c2s", "tls s2c", "hl7 s2c"} {
		if v := by[k]; v != nil {
			assert.Zero(t, v.Flagged, k)
		}
	}
	require.NotNil(t, by["zpl c2s"])
	assert.Equal(t, by["zpl c2s"].Dirs, by["zpl c2s"].Flagged)
	assert.Equal(t, by["hl7 c2s"].Dirs, by["hl7 c2s"].Flagged)

	want := prototest.Golden(t, filepath.Join("testdata", "golden", "demo.json"), by)
	assert.Equal(t, want, by)
}
