package output

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
)

// Fictional patient values planted in every alert field: whatever goes wrong on
// the way to the SIEM, no log line and no error may repeat them. (The formatted
// message itself carries the alert, which detect builds without patient values.)
var planted = []string{"DOE^JANE^Q", "MRN-884422913", "19770412", "ACC-55519-XZ", "12 Elm Street", "555-0142", "078-05-1120"}

func plantedAlert(i int) *detect.Alert {
	p := planted[i%len(planted)]
	return &detect.Alert{
		TS: time.Now(), Type: detect.AlertCleartextPHI, Severity: detect.SeverityHigh,
		Device: p, SrcIP: p, DstIP: p, App: p, Summary: "patient " + p, RuleID: p,
		Details: map[string]any{"value": p}, ID: fmt.Sprintf("phi-%d-%s", i, p), Sensor: p,
	}
}

func TestNoPatientValueInLogsOrErrors(t *testing.T) {
	logs, log := logBuffer()
	var errs []error

	// Receiver that crashes mid-stream, queue cap reached, writes after Close.
	r := newFakeReceiver(t)
	cfg := testConfig(t, "tcp://"+r.addr)
	cfg.QueueMaxBytes = 6000
	cfg.CloseTimeout = 200 * time.Millisecond
	s, err := NewSyslog(cfg, log)
	require.NoError(t, err)
	for i := range 10 {
		s.Write(plantedAlert(i))
	}
	waitFor(t, "first alerts", 5*time.Second, func() bool { return len(r.received()) >= 10 })
	r.crash(3)
	for i := range 100 {
		s.Write(plantedAlert(i))
	}
	s.Sync()
	errs = append(errs, s.Close())
	s.Write(plantedAlert(1))

	// Formatting failures and bad configurations.
	_, err = Format(plantedAlert(2), "bogus")
	errs = append(errs, err)
	_, err = Formatter{Format: FormatJSON, MaxBytes: 10}.Append(nil, plantedAlert(3))
	errs = append(errs, err)
	_, err = NewSyslog(SyslogConfig{URL: "tls://siem.invalid:6514", CA: "/nonexistent/ca.pem", QueueDir: t.TempDir()}, log)
	errs = append(errs, err)

	require.NotEmpty(t, logs.String(), "the scenario should have logged something")
	for _, p := range planted {
		assert.NotContains(t, logs.String(), p)
		for _, e := range errs {
			if e != nil {
				assert.NotContains(t, e.Error(), p)
			}
		}
	}
	assert.NotZero(t, s.Stats().Dropped.Load())
}
