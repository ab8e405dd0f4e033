package rules

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
	"labwatch/protocols/hl7"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

// scenario is a short day on the lab network: every default rule's trigger among
// benign traffic, with a burst of negative acks for the threshold rule.
func scenario() []*app.Message {
	var out []*app.Message
	add := func(at time.Duration, m *app.Message, set func(m *app.Message)) {
		m.TS = t0.Add(at)
		if set != nil {
			set(m)
		}
		out = append(out, m)
	}
	attrs := func(kv ...string) func(m *app.Message) {
		return func(m *app.Message) {
			m.Attrs = map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				m.Attrs[kv[i]] = kv[i+1]
			}
		}
	}
	add(0, msg("hl7", "ORU^R01", "10.40.1.5:40000", "10.40.2.10:2575"), func(m *app.Message) { m.Sender = "COBAS^CHEM" })
	add(time.Second, msg("hl7", "ADT^A01", "10.40.1.5:40000", "10.40.2.10:2575"), func(m *app.Message) {
		m.Sender = "COBAS^CHEM"
		m.PHI.Add(app.PHIName)
	})
	add(2*time.Second, msg("astm", "result", "10.40.1.6:40001", "198.51.100.23:5000"), func(m *app.Message) { m.Sender = "ARCHITECT" })
	add(3*time.Second, msg("tls", "client_hello", "10.40.4.7:50000", "10.40.2.10:443"), attrs("version", "tls1.0", "sni", "lis.hospital.example"))
	add(4*time.Second, msg("tls", "client_hello", "10.40.4.7:50001", "10.40.2.10:443"), attrs("version", "tls1.3"))
	add(5*time.Second, msg("dicom", "A-ASSOCIATE-RQ", "10.40.3.20:50000", "10.40.9.9:104"), attrs("calling_ae", "CT01", "called_ae", "ARCHIVE"))
	add(6*time.Second, msg("http", "POST", "10.40.2.10:50000", "10.40.9.9:80"), func(m *app.Message) { m.PHI.Add(app.PHIPatientID) })
	add(7*time.Second, msg("telnet", "login", "10.40.2.10:50000", "203.0.113.5:23"), attrs("auth", "telnet"))
	add(8*time.Second, msg("zpl", "label", "10.40.2.10:50000", "10.40.8.1:9100"), nil)
	for i := range 25 {
		add(10*time.Second+time.Duration(i)*time.Second, msg("hl7", "ACK", "10.40.2.10:2575", "10.40.1.5:40000"), func(m *app.Message) { m.Ack = "AE" })
	}
	return out
}

type goldenAlert struct {
	TS       time.Time       `json:"ts"`
	RuleID   string          `json:"rule_id"`
	Severity detect.Severity `json:"severity"`
	SrcIP    string          `json:"src_ip"`
	DstIP    string          `json:"dst_ip"`
	Summary  string          `json:"summary"`
	Count    int             `json:"count"`
	Emitted  bool            `json:"emitted"`
}

type goldenFile struct {
	Messages   int              `json:"messages"`
	Alerts     []goldenAlert    `json:"alerts"`
	Stats      Stats            `json:"stats"`
	Suppressed SuppressionStats `json:"suppressed"`
}

func TestGoldenDefaultRules(t *testing.T) {
	set := Default()
	sup := mustParse(t, `threshold:
  - rule_id: hl7-negative-ack-burst
    count: 2
suppress:
  - rule_id: credentials-to-untrusted
    device: 10.40.2.10
`).Suppressor
	got := goldenFile{}
	for _, m := range scenario() {
		got.Messages++
		for _, a := range set.Match(eventOf(m)) {
			emitted := sup.Filter(a)
			got.Alerts = append(got.Alerts, goldenAlert{a.TS, a.RuleID, a.Severity, a.SrcIP, a.DstIP, a.Summary, a.Count, emitted})
		}
	}
	got.Stats, got.Suppressed = set.Stats(), sup.Stats()
	checkGolden(t, filepath.Join("testdata", "golden", "default.json"), got)
}

// checkGolden compares got with the golden file (rewritten with -update) on counts
// and chosen fields.
func checkGolden(t *testing.T, path string, got goldenFile) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile(path, append(data, '\n'), 0o644))
	}
	raw, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./rules -run Golden -update")
	var want goldenFile
	require.NoError(t, json.Unmarshal(raw, &want))
	assert.Equal(t, want.Messages, got.Messages)
	require.Equal(t, len(want.Alerts), len(got.Alerts))
	for i := range want.Alerts {
		assert.Equal(t, want.Alerts[i], got.Alerts[i])
	}
	assert.Equal(t, want.Stats, got.Stats)
	assert.Equal(t, want.Suppressed, got.Suppressed)
}

// corpusDir holds public HL7 samples; tests that read it skip when it is absent.
const corpusDir = "../../shared/corpus/hl7"

// TestCorpusHL7ToUntrusted parses the public HL7 samples as if sent to a host
// outside the trusted networks: every parsed message raises the rule, no alert
// carries a value from the samples' PID segments.
func TestCorpusHL7ToUntrusted(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skip("corpus not present:", err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(corpusDir, e.Name()))
		require.NoError(t, err)
		sink := &ruleSink{set: Default()}
		a := hl7.NewAnalyzer(flow("10.40.2.10:40000", "203.0.113.50:2575"), sink, nil)
		a.Data(app.ClientToServer, data, t0)
		a.Expire()
		untrusted := 0
		for _, s := range sink.alerts {
			if strings.Contains(s, "lab-protocol-to-untrusted") {
				untrusted++
			}
		}
		assert.Equal(t, sink.messages, untrusted, e.Name())
		for _, v := range pidValues(data) {
			for _, s := range sink.alerts {
				assert.NotContains(t, s, v, e.Name())
			}
		}
	}
}

// pidValues returns the non-trivial field values of the PID segments of data,
// leaving out those that also name an application in an MSH segment (samples
// reuse words such as RADIOLOGY for both).
func pidValues(data []byte) []string {
	var out []string
	lines := strings.FieldsFunc(string(data), func(r rune) bool { return r == '\r' || r == '\n' })
	var headers strings.Builder
	for _, line := range lines {
		if strings.HasPrefix(line, "MSH|") {
			headers.WriteString(line)
		}
	}
	for _, line := range lines {
		if !strings.HasPrefix(line, "PID|") {
			continue
		}
		for _, f := range strings.Split(line, "|")[2:] {
			for _, c := range strings.FieldsFunc(f, func(r rune) bool { return r == '^' || r == '~' }) {
				if len(c) >= 6 && !strings.Contains(headers.String(), c) {
					out = append(out, c)
				}
			}
		}
	}
	return out
}
