package phiscan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// Every value below is fictional; SSNs use the 123-45-xxxx style examples.
func TestScan(t *testing.T) {
	pid := "MSH|^~\\&|EHR|HOSP|LIS|LAB|202603020800||ADT^A01|1|P|2.5\rPID|1||TEST0001^^^HOSP^MR||TESTCASE^ONE||19450312|F|||1 TEST ST^^TOWN||555-0100|||||ACCT1|123-45-6789\r"
	tests := []struct {
		name   string
		data   string
		kinds  []string
		fields []string
	}{
		{"HL7 PID", pid, []string{"patient_id", "name", "birth_date", "address", "phone", "ssn", "account"}, []string{"embedded HL7 PID", "SSN pattern"}},
		{"HL7 in JSON", `{"msg":"MSH|^~\\&|A|B\rPID|1||X1^^^H||TESTCASE^TWO||19450312|M"}`, []string{"patient_id", "name", "birth_date"}, []string{"embedded HL7 PID"}},
		{"HL7 in JSON, escaped CR", `{"msg":"MSH|^~\\&|A|B\\rPID|1||X1^^^H||TESTCASE^TWO||19450312|M"}`, []string{"patient_id", "name", "birth_date"}, []string{"embedded HL7 PID"}},
		{"NK1", "\nNK1|1|TESTKIN^ONE|SPO||||\n", []string{"relative"}, []string{"embedded HL7 NK1"}},
		{"PID with empty fields", "\rPID|1||||||||\r", nil, nil},
		{"PID in prose", "the PID|process table", nil, nil},
		{"SSN", "ssn: 123-45-6789.", []string{"ssn"}, []string{"SSN pattern"}},
		{"SSN area 000", "000-45-6789", nil, nil},
		{"SSN area 666", "666-45-6789", nil, nil},
		{"SSN area 9xx", "912-45-6789", nil, nil},
		{"SSN group 00", "123-00-6789", nil, nil},
		{"SSN serial 0000", "123-45-0000", nil, nil},
		{"SSN without hyphens", "123456789", nil, nil},
		{"longer digit run", "1123-45-6789 and 123-45-67890", nil, nil},
		{"phone", "call 555-123-4567", nil, nil},
		{"part number", "PN AB123-45-6789", nil, nil},
		{"date", "2026-03-02", nil, nil},
		{"MRN", "MRN: 00412345", []string{"patient_id"}, []string{"MRN pattern"}},
		{"MRN JSON", `{"mrn":"H0412345"}`, []string{"patient_id"}, []string{"MRN pattern"}},
		{"MRN word only", "the MRN field is required", nil, nil},
		{"DOB near name JSON", `{"patient_name":"Testcase Three","dob":"1945-03-12"}`, []string{"name", "birth_date"}, []string{"birth date near name"}},
		{"DOB near HL7 name", "TESTCASE^FOUR date of birth: 12 Mar 1945", []string{"name", "birth_date"}, []string{"birth date near name"}},
		{"DOB value is not the date", `{"name":"job","dob_flag":false}` + "\n" + `{"ts":"2026-03-02"}`, nil, nil},
		{"born is not a keyword", `{"name":"job","born_on":"2026-03-02"}`, nil, nil},
		{"birthDate key", `name=Testcase+Five&birthDate=03/12/1945`, []string{"name", "birth_date"}, []string{"birth date near name"}},
		{"DOB without name", `{"dob":"1945-03-12","id":7}`, nil, nil},
		{"name without DOB", `{"name":"lis-server","date":"2026-03-02"}`, nil, nil},
		{"adobe", `{"name":"Acrobat","vendor":"adobe 2024-01-01"}`, nil, nil},
		{"DOB keyword, no date", `{"name":"x","dob":null}`, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			phi, fields := Scan([]byte(tc.data), nil)
			assert.Equal(t, tc.kinds, phi.Kinds())
			assert.Equal(t, tc.fields, fields)
			// The analyzer agrees however the text is cut.
			for _, step := range []int{0, 1, 3, 7, 64} {
				r := scanStream([]byte(tc.data), step, nil)
				if tc.kinds == nil {
					assert.Empty(t, r.Msgs, "step %d", step)
					continue
				}
				require.Len(t, r.Msgs, 1, "step %d", step)
				assert.Equal(t, tc.kinds, r.Msgs[0].PHI.Kinds(), "step %d", step)
			}
		})
	}
}

func TestCustomMRNPattern(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MRNPattern, cfg.MRNKeywords = `\bH\d{7}\b`, nil
	require.NoError(t, cfg.Valid())
	phi, _ := Scan([]byte("patient H0412345 admitted"), &cfg)
	assert.True(t, phi.Has(app.PHIPatientID))

	cfg.MRNPattern = "(["
	require.ErrorIs(t, cfg.Valid(), ErrBadPattern)
	phi, _ = Scan([]byte("MRN: 00412345"), &cfg)
	assert.True(t, phi.Has(app.PHIPatientID), "an invalid pattern falls back to the default")
}

func TestAnalyzer(t *testing.T) {
	text := strings.Repeat("GET /index.html HTTP/1.1\r\nHost: intranet\r\n\r\n", 50) + "ssn 123-45-6789\n"
	r := scanStream([]byte(text), 100, nil)
	require.Len(t, r.Msgs, 1)
	m := r.Msgs[0]
	assert.Equal(t, "cleartext", m.App)
	assert.Equal(t, "phi", m.Type)
	assert.Equal(t, []string{"SSN pattern"}, m.PHIFields)
	assert.Equal(t, len(text), m.Counts["bytes_scanned"])

	// Budget: the SSN lies past the cap and is not seen.
	cfg := DefaultConfig()
	cfg.MaxBytesPerFlow = 1000
	r = scanStream([]byte(text), 100, &cfg)
	assert.Empty(t, r.Msgs)
	require.Len(t, r.Anoms, 1)
	assert.Equal(t, ReasonScanLimit, r.Anoms[0].Reason)

	// Encrypted flows are never scanned.
	enc := &app.Flow{ID: 2, Transport: app.TCP, Encrypted: true}
	r = &prototest.Recorder{}
	a := NewAnalyzer(enc, r, nil)
	a.Data(app.ClientToServer, []byte(text), t0)
	a.Expire()
	assert.Empty(t, r.Msgs)

	// A gap: the bytes on both sides are not joined into one SSN.
	r = &prototest.Recorder{}
	a = NewAnalyzer(testFlow, r, nil)
	a.Data(app.ServerToClient, []byte("x 123-45-"), t0)
	a.Gap(app.ServerToClient, 10)
	a.Data(app.ServerToClient, []byte("6789 y"), t0)
	a.End(app.ServerToClient)
	a.Expire()
	assert.Empty(t, r.Msgs)
}

// TestPlantedValuesNeverLeak plants fictional values and checks that nothing the
// package emits repeats them.
func TestPlantedValuesNeverLeak(t *testing.T) {
	planted := []string{"TESTLEAK^ONE", "LEAK0001", "19450312", "123-45-6789", "00412345", "1 LEAK ROAD"}
	text := "PID|1||LEAK0001^^^H||TESTLEAK^ONE||19450312|F|||1 LEAK ROAD||555-0100|||||A|123-45-6789\r" +
		"MRN: 00412345 dob 1945-03-12 name: TESTLEAK"
	cfg := DefaultConfig()
	cfg.MaxBytesPerFlow = len(text) - 5
	r := scanStream([]byte(text), 13, &cfg)
	require.NotEmpty(t, r.Msgs)
	out := r.Dump()
	prototest.AssertNoneOf(t, out, planted)
}

func TestScanDoesNotAllocate(t *testing.T) {
	a := NewAnalyzer(testFlow, &prototest.NullEmitter{}, nil)
	data := []byte(strings.Repeat(`{"ts":"2026-03-02T08:00:00Z","level":"info","msg":"request done","status":200}`+"\n", 15))
	a.Data(app.ClientToServer, data, t0)
	allocs := testing.AllocsPerRun(20, func() { a.Data(app.ClientToServer, data, t0) })
	assert.Zero(t, allocs)
}
