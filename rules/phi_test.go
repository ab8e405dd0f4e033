package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/hl7"
)

// plantedPHI are fictional patient values planted in the test messages; none may
// appear in any event or alert.
var plantedPHI = []string{
	"ZZPLANTMRN77", "PLANTEDSURNAME", "PLANTEDGIVEN", "19510817", "77 PLANTED LANE",
	"PLANTVILLE", "555-0177", "999-77-1234", "PLANTACC5521", "PLANTVISIT88", "PLANTKIN",
}

// plantedHL7 is an ADT and an ORU carrying the planted values, MLLP-framed
// (0x0B message 0x1C 0x0D), sent by an analyzer to an untrusted host so that
// several default rules fire.
func plantedHL7() []byte {
	msgs := []string{
		"MSH|^~\\&|ANALYZER|CHEMLAB|LIS|HOSP|20260304140000||ADT^A01|CTRL1|P|2.5\r" +
			"PID|1||ZZPLANTMRN77^^^HOSP^MR||PLANTEDSURNAME^PLANTEDGIVEN||19510817|F|||77 PLANTED LANE^^PLANTVILLE^ZZ^00000||555-0177|||||PLANTVISIT88|999-77-1234\r" +
			"NK1|1|PLANTKIN^MOTHER|MTH\r",
		"MSH|^~\\&|ANALYZER|CHEMLAB|LIS|HOSP|20260304140001||ORU^R01|CTRL2|P|2.5\r" +
			"PID|1||ZZPLANTMRN77^^^HOSP^MR||PLANTEDSURNAME^PLANTEDGIVEN||19510817|F\r" +
			"OBR|1|PLANTACC5521|PLANTACC5521|GLU^Glucose\r" +
			"OBX|1|NM|GLU^Glucose||5.5|mmol/L|||||F\r",
	}
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString("\x0b" + m + "\x1c\r")
	}
	return []byte(b.String())
}

// ruleSink turns every message into an event and runs the rules and the
// suppressor on it, keeping everything it saw.
type ruleSink struct {
	set      *Set
	sup      *Suppressor
	events   []Event
	messages int
	alerts   []string
}

func (s *ruleSink) Message(m *app.Message) {
	s.messages++
	ev := EventFrom(m, site())
	s.events = append(s.events, ev)
	for _, a := range s.set.Match(&ev) {
		s.sup.Filter(a)
		s.alerts = append(s.alerts, fmt.Sprintf("%+v", *a))
	}
}

func (s *ruleSink) Anomaly(*app.Anomaly) {}

func TestNoPatientValueInAlerts(t *testing.T) {
	user := mustParse(t, `rules:
  - id: everything
    description: matches every message
    expression: "true"
    severity: info
  - id: any-phi
    description: any patient identifier
    expression: len(PHI) > 0 && "name" in PHI
    severity: low
  - id: out-of-range
    expression: PHI[40] == "x"
    severity: low
suppress:
  - rule_id: nothing-like-this
`)
	set, err := Combine(Default(), user.Rules)
	require.NoError(t, err)
	sink := &ruleSink{set: set, sup: user.Suppressor}
	a := hl7.NewAnalyzer(flow("10.40.1.5:40000", "203.0.113.50:2575"), sink, nil)
	a.Data(app.ClientToServer, plantedHL7(), t0)
	a.Expire()

	require.Equal(t, 2, sink.messages, "both planted messages parsed")
	require.NotEmpty(t, sink.alerts)
	all := strings.Join(sink.alerts, "\n") + fmt.Sprintf("%+v", sink.events) +
		fmt.Sprintf("%+v %+v", set.Stats(), user.Suppressor.Stats())
	for _, v := range plantedPHI {
		assert.NotContains(t, all, v)
	}
	assert.Contains(t, all, "hl7-adt-from-analyzer")
	assert.Contains(t, all, "lab-protocol-to-untrusted")
	assert.Contains(t, all, "phi_kinds:", "kinds are reported")
}
