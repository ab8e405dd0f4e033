package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/protocols/app"
)

// TestDefaultRules checks each default rule on a matching event and on a benign
// neighbour of it.
func TestDefaultRules(t *testing.T) {
	tests := []struct {
		rule   string
		fires  func() *app.Message
		benign func() *app.Message
	}{
		{"hl7-adt-from-analyzer",
			func() *app.Message { return msg("hl7", "ADT^A01", "10.40.1.5:40000", "10.40.2.10:2575") },
			func() *app.Message { return msg("hl7", "ORU^R01", "10.40.1.5:40000", "10.40.2.10:2575") }},
		{"lab-protocol-to-untrusted",
			func() *app.Message { return msg("astm", "result", "10.40.1.5:40000", "198.51.100.23:5000") },
			func() *app.Message { return msg("astm", "result", "10.40.1.5:40000", "10.40.2.10:5000") }},
		{"tls-obsolete-clinical",
			func() *app.Message {
				m := msg("tls", "client_hello", "10.40.4.7:50000", "10.40.2.10:443")
				m.Attrs = map[string]string{"version": "tls1.0"}
				return m
			},
			func() *app.Message {
				m := msg("tls", "client_hello", "10.40.4.7:50000", "10.40.2.10:443")
				m.Attrs = map[string]string{"version": "tls1.2"}
				return m
			}},
		{"dicom-unknown-ae",
			func() *app.Message { return msg("dicom", "A-ASSOCIATE-RQ", "10.40.3.20:50000", "10.40.9.9:104") },
			func() *app.Message { return msg("dicom", "A-ASSOCIATE-RQ", "10.40.9.9:50000", "10.40.3.20:104") }},
		{"phi-over-http",
			func() *app.Message {
				m := msg("http", "POST", "10.40.2.10:50000", "10.40.9.9:80")
				m.PHI.Add(app.PHIName)
				return m
			},
			func() *app.Message { return msg("http", "POST", "10.40.2.10:50000", "10.40.9.9:80") }},
		{"credentials-to-untrusted",
			func() *app.Message {
				m := msg("telnet", "login", "10.40.2.10:50000", "203.0.113.5:23")
				m.Attrs = map[string]string{"user_hash": "5f3a"}
				return m
			},
			func() *app.Message {
				m := msg("telnet", "login", "10.40.2.10:50000", "10.40.9.9:23")
				m.Attrs = map[string]string{"user_hash": "5f3a"}
				return m
			}},
	}
	covered := map[string]bool{"hl7-negative-ack-burst": true} // see TestDefaultThresholdRule
	for _, tc := range tests {
		covered[tc.rule] = true
		t.Run(tc.rule, func(t *testing.T) {
			s := Default()
			alerts := s.Match(eventOf(tc.fires()))
			require.Equal(t, []string{tc.rule}, ruleIDs(alerts))
			a := alerts[0]
			assert.Equal(t, detect.AlertRule, a.Type)
			assert.Contains(t, a.Summary, tc.rule)
			assert.Equal(t, 1, a.Count)
			assert.Empty(t, s.Match(eventOf(tc.benign())), "benign event")
		})
	}
	for _, r := range Default().Rules() {
		assert.True(t, covered[r.ID], "default rule %s has no test", r.ID)
	}
}

func TestDefaultThresholdRule(t *testing.T) {
	s := Default()
	nak := msg("hl7", "ACK", "10.40.1.5:40000", "10.40.2.10:2575")
	nak.Ack = "AR"
	var fired []int
	for i := range 45 {
		nak.TS = t0.Add(time1s(i))
		for _, a := range s.Match(eventOf(nak)) {
			fired = append(fired, i)
			assert.Equal(t, "hl7-negative-ack-burst", a.RuleID)
			assert.Equal(t, detect.SeverityLow, a.Severity)
		}
	}
	assert.Equal(t, []int{19}, fired, "the 20th negative ack in 10 minutes alerts once")
	ok := msg("hl7", "ACK", "10.40.1.5:40000", "10.40.2.10:2575")
	ok.Ack = "AA"
	assert.Empty(t, s.Match(eventOf(ok)))
}
