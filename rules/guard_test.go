package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppGuard(t *testing.T) {
	tests := []struct {
		expr string
		want []string // nil: any app
	}{
		{`App == "hl7"`, []string{"hl7"}},
		{`"astm" == App && SrcTrusted`, []string{"astm"}},
		{`App in ["hl7", "astm", "hl7"]`, []string{"astm", "hl7"}},
		{`SrcTrusted and App == "tls"`, []string{"tls"}},
		{`App == "hl7" || App == "astm"`, []string{"astm", "hl7"}},
		{`App == "hl7" || SrcTrusted`, nil},
		{`App in ["hl7", "astm"] && App == "hl7"`, []string{"hl7"}},
		{`App == "hl7" && App == "astm"`, []string{}},
		{`App != "hl7"`, nil},
		{`!(App == "hl7")`, nil},
		{`App in ["hl7", Type]`, nil},
		{`let App = "x"; App == "x"`, nil},
		{`Credentials`, nil},
		{`App == "`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			assert.Equal(t, tc.want, appGuard(tc.expr))
		})
	}
}

// TestGuardNeverHidesAMatch runs rules with and without their guard on events
// of several apps: the guard may only skip rules that would not match.
func TestGuardNeverHidesAMatch(t *testing.T) {
	s := mustParse(t, `rules:
  - {id: a, expression: 'App == "hl7" || App == "astm"', severity: low}
  - {id: b, expression: 'App in ["tls"] and TLS.Version == "tls1.0"', severity: low}
  - {id: c, expression: 'Credentials', severity: low}
  - {id: d, expression: 'App == "nothing" && App == "hl7"', severity: low}
`).Rules
	for _, m := range scenario() {
		ev := eventOf(m)
		var want []string
		for _, r := range s.rules {
			if res, err := s.vm.Run(r.program, ev); err == nil && res == true {
				want = append(want, r.ID)
			}
		}
		assert.Equal(t, want, ruleIDs(s.Match(ev)), ev.App)
	}
}
