package astm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRecordsDetails(t *testing.T) {
	data := strings.Join([]string{
		`H|\^&|||ANALYZER^2.1.0|||||LIS||P|LIS2-A2|20260304140000`,
		`P|1||LAB1||Doe^Jane||19700101|F`,
		`O|1|SPEC1||^^^GLU\^^^NA|S||||||A||||SERUM||||||||||F`,
		`R|1|^^^GLU|5.4|mmol/L|3.9 to 6.1|N||F`,
		`R|2|^^^NA|150^^|mmol/L||H||C`,
		`C|1|I|free text never read|G`,
		`L|1|N`,
		`H|\^&|||ANALYZER^2.1.0|||||LIS||P|LIS2-A2|20260304140100`,
		`Q|1|^SPEC2||^^^ALL||||||||O`,
		`L|1|Q`,
	}, "\r\n")
	s, err := ParseRecords([]byte(data), nil)
	require.NoError(t, err)
	require.Len(t, s.Messages, 2)
	assert.Empty(t, s.Findings)
	assert.Equal(t, len(data), s.Bytes)

	m := s.Messages[0]
	assert.Equal(t, "result", m.Kind)
	assert.True(t, m.Complete)
	assert.Equal(t, RecordCounts{H: 1, P: 1, O: 1, R: 2, C: 1, L: 1}, m.Records)
	assert.Equal(t, "ANALYZER", m.Header.Sender)
	assert.Equal(t, "2.1.0", m.Header.Software)
	assert.Equal(t, "20260304140000", m.Header.Timestamp)
	assert.Equal(t, []string{"ASTM P-4", "ASTM P-6", "ASTM P-8", "ASTM O-3"}, m.PHIFields)
	assert.Equal(t, []string{"patient_id", "name", "birth_date", "accession"}, m.PHIKinds)
	assert.Equal(t, "N", m.Termination)
	assert.Equal(t, []Order{{TestIDs: []string{"GLU", "NA"}, Priority: "S", ActionCode: "A", ReportType: "F", HasSpecimen: true}}, m.Orders)
	assert.Equal(t, []Result{
		{TestID: "GLU", Value: "5.4", Units: "mmol/L", Flags: "N", Status: "F"},
		{TestID: "NA", Value: "150", Units: "mmol/L", Flags: "H", Status: "C"},
	}, m.Results)

	q := s.Messages[1]
	assert.Equal(t, "query", q.Kind)
	assert.Equal(t, "Q", q.Termination)
	assert.Equal(t, []Query{{HasRange: true, TestIDs: []string{"ALL"}, Status: "O"}}, q.Queries)
	assert.Equal(t, []string{"ASTM Q-3"}, q.PHIFields)
}

func TestParseRecordsErrors(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		cfg      *Config
		err      error
		msgs     int
		complete bool
		findings string
	}{
		{"empty", "", nil, nil, 0, false, ""},
		{"only blank lines", "\r\n\r\n", nil, ErrNotASTM, 0, false, ""},
		{"not ASTM", "GET / HTTP/1.1\r\nHost: x\r\n", nil, ErrNotASTM, 0, false, "bad_record bad_record"},
		{"no terminator", "H|\\^&\rP|1\r", nil, nil, 1, false, "missing_terminator"},
		{"no header", "P|1\rL|1|N\r", nil, nil, 0, false, "missing_header"},
		{"record too large", "H|\\^&\rP|1|" + strings.Repeat("x", 100) + "\rL|1|N", &Config{MaxRecordBytes: 50},
			nil, 1, true, "record_too_large"},
		{"too many messages", strings.Repeat("H|\\^&\rL|1|N\r", 5), &Config{MaxMessages: 3},
			ErrTooManyMessages, 3, true, ""},
		{"findings capped", strings.Repeat("??\r", 10), &Config{MaxFindings: 4}, ErrNotASTM, 0, false,
			"bad_record bad_record bad_record bad_record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseRecords([]byte(tt.data), tt.cfg)
			assert.ErrorIs(t, err, tt.err)
			if tt.err == nil {
				assert.NoError(t, err)
			}
			require.Len(t, s.Messages, tt.msgs)
			if tt.msgs > 0 {
				assert.Equal(t, tt.complete, s.Messages[0].Complete)
			}
			var reasons []string
			for _, f := range s.Findings {
				reasons = append(reasons, f.Reason)
			}
			assert.Equal(t, tt.findings, strings.Join(reasons, " "))
		})
	}
	s, _ := ParseRecords([]byte(strings.Repeat("??\r", 10)), &Config{MaxFindings: 4})
	assert.Equal(t, 6, s.FindingsDropped)
}

func TestErrorsCarryPrefix(t *testing.T) {
	for _, err := range []error{ErrNotASTM, ErrTooManyMessages, errBadDelimiterText} {
		assert.True(t, strings.HasPrefix(err.Error(), "astm: "), err.Error())
	}
}

func TestDelimitersJSON(t *testing.T) {
	d := Delimiters{'|', '`', '^', '&'}
	b, err := d.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, "\"|`^&\"", string(b))
	var back Delimiters
	require.NoError(t, back.UnmarshalJSON(b))
	assert.Equal(t, d, back)
	assert.Error(t, back.UnmarshalJSON([]byte(`"|^"`)))
	assert.Error(t, back.UnmarshalJSON([]byte(`12`)))
}

func TestDefaultConfigAndNormalize(t *testing.T) {
	d := DefaultConfig()
	assert.Equal(t, d, (*Config)(nil).normalized())
	assert.Equal(t, d, (&Config{}).normalized())
	c := Config{MaxFrameBytes: 10, MaxViolations: -1}
	n := c.normalized()
	assert.Equal(t, 10, n.MaxFrameBytes)
	assert.Equal(t, d.MaxViolations, n.MaxViolations)
}
