package sensor

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/rules"
)

// collect runs a capture and returns the alerts delivered.
func collect(t *testing.T, cfg Config, path string) ([]*detect.Alert, *Sensor) {
	t.Helper()
	var got []*detect.Alert
	r := mustOpen(t, path)
	defer r.Close()
	s, err := New(cfg, func(a *detect.Alert) { got = append(got, a) })
	require.NoError(t, err)
	feed(t, s, r)
	return got, s
}

func TestDefaultRulesAlertOncePerPath(t *testing.T) {
	path, _ := generate(t, clean(), "rules.pcap")
	alerts, s := collect(t, DefaultConfig(), path)
	byPath := map[string]int{}
	ids := map[string]bool{}
	for _, a := range alerts {
		assert.NotEmpty(t, a.ID)
		assert.False(t, ids[a.ID], "alert ids are unique")
		ids[a.ID] = true
		assert.NotEmpty(t, a.Sensor)
		if a.Type == detect.AlertRule && a.RuleID == "lab-protocol-to-untrusted" {
			byPath[a.Device+">"+a.DstIP]++
			assert.Equal(t, "198.51.100.23", a.DstIP, "the demo's one untrusted host")
		}
	}
	require.NotEmpty(t, byPath, "HL7 to the untrusted host raises the default rule")
	for p, n := range byPath {
		assert.Equal(t, 1, n, "one alert per path within the dedup window: %s", p)
	}
	sum := s.Summary()
	assert.NotZero(t, sum.Alerts[detect.AlertRule])
	assert.NotZero(t, sum.Suppressed["duplicate"], "repeats are counted, not lost")
}

func TestRuleFileAddsRulesAndSuppression(t *testing.T) {
	path, _ := generate(t, clean(), "rules2.pcap")
	rulesFile := filepath.Join(t.TempDir(), "site-rules.yaml")
	require.NoError(t, os.WriteFile(rulesFile, []byte(`
rules:
  - id: astm-results
    description: ASTM results from any analyzer
    expression: App == "astm" && Type == "result"
    severity: low
suppress:
  - rule_id: lab-protocol-to-untrusted
`), 0o600))
	cfg := DefaultConfig()
	cfg.RulesFile = rulesFile
	alerts, s := collect(t, cfg, path)
	var site, untrusted int
	for _, a := range alerts {
		switch a.RuleID {
		case "astm-results":
			site++
		case "lab-protocol-to-untrusted":
			untrusted++
		}
	}
	assert.NotZero(t, site, "the site rule fires")
	assert.Zero(t, untrusted, "the suppressed rule is held back")
	assert.NotZero(t, s.Summary().Suppressed["suppress"])

	// A broken file on reload keeps the running rules.
	require.NoError(t, os.WriteFile(rulesFile, []byte("rules:\n  - id: x\n    expression: App ==\n"), 0o600))
	assert.Error(t, s.ReloadRules())
}

func TestDedupFoldsRepeatsIntoTheNextAlert(t *testing.T) {
	d := newDedup(time.Hour, 100)
	t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	ev := func(at time.Duration, port int) *rules.Event {
		return &rules.Event{SrcIP: "10.0.0.1", DstIP: "10.0.0.2", DstPort: port, TS: t0.Add(at)}
	}
	admit := func(e *rules.Event) (bool, int) { return d.admit("r", e) }
	ok, _ := admit(ev(0, 1))
	assert.True(t, ok)
	ok, _ = admit(ev(time.Minute, 1))
	assert.False(t, ok)
	ok, _ = admit(ev(2*time.Minute, 1))
	assert.False(t, ok)
	ok, folded := admit(ev(61*time.Minute, 1))
	assert.True(t, ok)
	assert.Equal(t, 2, folded, "the next alert carries the two folded repeats")
	assert.Equal(t, uint64(2), d.folded)
	ok, _ = admit(ev(62*time.Minute, 2))
	assert.True(t, ok, "another peer port is another finding")

	small := newDedup(time.Hour, 2)
	for i := 0; i < 10; i++ {
		ok, _ := small.admit("r", ev(0, i))
		assert.True(t, ok)
	}
	assert.LessOrEqual(t, len(small.seen), 2, "the table is bounded")
}
