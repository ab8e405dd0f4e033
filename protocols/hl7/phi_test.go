package hl7

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// plantedValues are the fictional patient values written into the samples
// in testdata and into the messages below. None may ever come out.
var plantedValues = []string{
	"TESTPATIENT", "TESTRELATIVE", "TESTGUARANTOR", "TESTINSURED", "FAKEMRN", "FAKEEXT",
	"FAKEALT", "FAKEACCT", "FAKEVISIT", "FICTION WAY", "555-01", "000-00-000",
	"19700101", "19800202", "19500303", "19600404", "POLICY0001", "DL0000000", "MOMID01",
	"PLC000", "FIL000", "SPC000", "SECRETNAME", "SECRETMRN", "SECRETNOTE",
}

// hostile messages plant values in patient fields and in places where a
// careless parser would echo them: broken headers, bad segment ids, free
// text, acknowledgement text, oversized and truncated messages.
var hostile = []string{
	// well-formed, values in every PHI field, in MSA-3 and ERR-8 text
	"MSH|^~\\&|A|B|C|D|20260101||ADT^A08|H1|P|2.5\rPID|1|SECRETMRN1|SECRETMRN2||SECRETNAME^X||19700101|F|||FICTION WAY 9||555-0199|||||FAKEACCT9|000-00-0009\r" +
		"NK1|1|SECRETNAME^REL|||555-0198\rNTE|1||SECRETNOTE about SECRETNAME\r",
	"MSH|^~\\&|A|B|C|D|20260101||ACK|H2|P|2.5\rMSA|AE|H1|SECRETNAME not found\rERR||PID^1^5|101|E||||SECRETNAME unknown\r",
	// broken header: the message is not emitted, the error must stay generic
	"MSH|SECRETNAME|A\rPID|1||SECRETMRN||SECRETNAME\r",
	"MSH|^~\\&|A|B|C|D|20260101||SECRETNAME^A01|H3|P|2.5\rPID|1||SECRETMRN||SECRETNAME\r",
	"MSH|^~\\&|A|B|C|D|20260101|||H4|P|2.5\rPID|1||SECRETMRN||SECRETNAME\r",
	// warnings with values next to the offending bytes
	"MSH|^~\\&|A|B|C|D|20260101||ORU^SECRETNAME|H5|P|SECRETNAME\rpid|1||SECRETMRN||SECRETNAME\rPID|1||SECRETMRN||SECRET\x01NAME\r",
	"MSH|^~\\&|A|B|C|D|SECRETNAME||ACK|H6|SECRETNAME|2.5|||SECRETNAME|SECRETNAME||SECRETNAME\rMSA|SECRETNAME|H1\rERR|||SECRETNAME\r",
	// no MSH at all, and orphans inside a batch
	"PID|1||SECRETMRN||SECRETNAME\r",
	"BHS|^~\\&|A|B\rPID|1||SECRETMRN||SECRETNAME\rBTS|SECRETNAME\r",
}

func assertNoPlanted(t *testing.T, where, text string) {
	t.Helper()
	prototest.AssertNoneOf(t, text, plantedValues, "%s leaks a patient value", where)
}

func TestNoPatientValueInEvents(t *testing.T) {
	var inputs []string
	files, err := filepath.Glob("testdata/*.hl7")
	require.NoError(t, err)
	for _, f := range files {
		inputs = append(inputs, string(readTestdata(t, filepath.Base(f))))
	}
	inputs = append(inputs, hostile...)

	for _, cfg := range []*Config{nil, {MaxMessageBytes: 90, MaxSegments: 2, MaxValueBytes: 8, MaxAnomaliesPerFlow: 1000}} {
		for i, in := range inputs {
			for _, framed := range []bool{true, false} {
				a, r := newTestAnalyzer(cfg)
				data := []byte(in)
				if framed {
					data = mllp(in, in)
				}
				a.Data(app.ClientToServer, data, testT0)
				a.Data(app.ServerToClient, mllp("MSH|^~\\&|C|D|A|B|20260101||ACK|R1|P|2.5\rMSA|AA|SECRETMRN\r"), testT0.Add(time.Second))
				a.Gap(app.ClientToServer, 10)
				a.Data(app.ClientToServer, data, testT0.Add(2*time.Second))
				a.Expire()
				assertNoPlanted(t, fmt.Sprintf("input %d (framed %v, cfg %v)", i, framed, cfg != nil), r.Dump())
			}
			s, err := ParseMessage([]byte(in), cfg)
			assertNoPlanted(t, fmt.Sprintf("summary of input %d", i), fmt.Sprintf("%+v", s))
			if err != nil {
				assertNoPlanted(t, "error", err.Error())
			}
			if _, err := ParseBatchHeader([]byte(in), cfg); err != nil {
				assertNoPlanted(t, "batch error", err.Error())
			}
		}
	}
}

// TestPHIKindsReported checks the kinds and fields found in the sample that
// fills every identifier field.
func TestPHIKindsReported(t *testing.T) {
	s, err := ParseMessage(readTestdata(t, "adt_a04_all_phi_lf.hl7"), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"patient_id", "name", "birth_date", "address", "phone", "ssn", "account", "relative", "insurance", "other"}, s.PHI.Kinds())
	assert.Equal(t, strings.Join([]string{
		"PID-2", "PID-3", "PID-4", "PID-5", "PID-7", "PID-9", "PID-11", "PID-13", "PID-14", "PID-18", "PID-19",
		"PID-20", "PID-21", "PV1-19", "NK1-2", "NK1-4", "NK1-5", "NK1-6", "GT1-3", "GT1-5", "GT1-6", "GT1-7",
		"GT1-8", "GT1-12", "IN1-16", "IN1-18", "IN1-19", "IN1-36", "IN2-2",
	}, ","), strings.Join(s.PHIFields.Names(), ","))
}

func TestPHIPresenceRules(t *testing.T) {
	tests := []struct {
		name string
		pid  string
		want []string
	}{
		{"empty fields", "PID|1||||", nil},
		{"explicit nulls", `PID|1||""||""^""|`, nil},
		{"only separators", "PID|1||^^^~^^||^^^^", nil},
		{"spaces", "PID|1||   ||  ", nil},
		{"mrn only", "PID|1||X1^^^H^MR", []string{"PID-3"}},
		{"name in second repetition", "PID|1||||~A^B", []string{"PID-5"}},
		{"subcomponent value", "PID|1||^^^&1.2.3&ISO", []string{"PID-3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseMessage([]byte("MSH|^~\\&|A|B|C|D|1||ADT^A08|1|P|2.5\r"+tc.pid+"\r"), nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, s.PHIFields.Names())
		})
	}
}

func TestQueryParameterKinds(t *testing.T) {
	s, err := ParseMessage(readTestdata(t, "qbp_q22_pdq.hl7"), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"name", "birth_date"}, s.PHI.Kinds(), "@PID.5 and @PID.7 named; @PID.8 (sex) is not an identifier")
	assert.Equal(t, []string{"QPD-3"}, s.PHIFields.Names())
	assert.Equal(t, 1, s.Queries())

	s, err = ParseMessage([]byte("MSH|^~\\&|A|B|C|D|1||QBP^Q23|1|P|2.5\rQPD|IHE PIX Query|Q1|X1^^^H&1.2&ISO^PI\r"), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"patient_id"}, s.PHI.Kinds())
}
