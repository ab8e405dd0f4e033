package poct1a

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// TestParseSamples checks the summary of each sample message.
func TestParseSamples(t *testing.T) {
	tests := []struct {
		file    string
		typ     string
		control string
		check   func(t *testing.T, s Summary)
	}{
		{"hel_r01.xml", "HEL.R01", "10001", func(t *testing.T, s Summary) {
			assert.Equal(t, Identity{DeviceID: "GLU-4F-0042", Vendor: "EXAMPLEDX", Model: "GlucoPoint 300",
				Serial: "GP3-0091772", Manufacturer: "Example Diagnostics", Software: "4.12.3", Hardware: "C"}, s.Device)
			assert.Equal(t, "POCT1", s.Version)
		}},
		{"dst_r01.xml", "DST.R01", "10002", func(t *testing.T, s Summary) {
			assert.Equal(t, 2, s.NewObservations)
			assert.Equal(t, "R", s.Codes["condition"])
		}},
		{"obs_r01.xml", "OBS.R01", "10003", func(t *testing.T, s Summary) {
			assert.Equal(t, 2, s.Services)
			assert.Equal(t, 2, s.Patients)
			assert.Equal(t, 2, s.Observations)
			assert.Equal(t, 2, s.OperatorIDs)
			assert.Equal(t, []string{"POCT1 PT.patient_id", "POCT1 PT.name", "POCT1 PT.birth_date"}, s.PHIFields)
			assert.True(t, s.PHI.Has(app.PHIName) && s.PHI.Has(app.PHIPatientID) && s.PHI.Has(app.PHIBirthDate))
		}},
		{"obs_r02_qc.xml", "OBS.R02", "10004", func(t *testing.T, s Summary) {
			assert.True(t, s.PHI.Empty())
			assert.Equal(t, "LQC", s.Codes["role"])
		}},
		{"eot_r01.xml", "EOT.R01", "10005", func(t *testing.T, s Summary) { assert.Equal(t, "OBS", s.Codes["topic"]) }},
		{"ack_r01_hel.xml", "ACK.R01", "501", func(t *testing.T, s Summary) {
			assert.Equal(t, "AA", s.Ack)
			assert.Equal(t, "10001", s.AckControlID)
		}},
		{"opl_r01.xml", "OPL.R01", "504", func(t *testing.T, s Summary) {
			assert.Equal(t, 2, s.Credentials)
			assert.Equal(t, app.KeyedHash("RN-PLANT-7731"), s.UserHash)
			assert.True(t, s.PHI.Empty(), "operator names are staff, not patients")
		}},
		{"req_r01.xml", "REQ.R01", "503", func(t *testing.T, s Summary) { assert.Equal(t, "ROBS", s.Codes["request"]) }},
		{"dtv_r01.xml", "DTV.R01", "505", func(t *testing.T, s Summary) { assert.Equal(t, "LOCK", s.Codes["directive"]) }},
		{"end_r01.xml", "END.R01", "506", func(t *testing.T, s Summary) { assert.Equal(t, "NRM", s.Codes["end_reason"]) }},
		{"vendor_dtv.xml", "DTV.EXDX.R01", "507", func(t *testing.T, s Summary) {
			assert.Equal(t, "EXDX_GET_LOG", s.Codes["directive"])
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			s, err := Parse(sample(t, tc.file), nil)
			require.NoError(t, err)
			assert.Equal(t, tc.typ, s.Type)
			assert.Equal(t, tc.control, s.ControlID)
			tc.check(t, s)
		})
	}
}

// TestParseRefuses checks the caps and refusals, and that errors never quote
// the message.
func TestParseRefuses(t *testing.T) {
	manyAttrs := "<OBS.R01 " + strings.Repeat(`a%d="1" `, 40) + "/>"
	for i := range 40 {
		manyAttrs = strings.Replace(manyAttrs, "%d", fmt.Sprint(i), 1)
	}
	tests := []struct {
		name string
		in   string
		cfg  *Config
		want error
	}{
		{"billion laughs", billionLaughs, nil, ErrDTD},
		{"external entity", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><OBS.R01>&e;</OBS.R01>`, nil, ErrDTD},
		{"undeclared entity", `<OBS.R01><HDR.control_id V="&PLANTMRN0042;"/></OBS.R01>`, nil, ErrBadXML},
		{"too deep", string(deepNest(40)), nil, ErrTooDeep},
		{"too many tokens", "<OBS.R01>" + strings.Repeat("<NTE/>", 50) + "</OBS.R01>", &Config{MaxTokens: 20}, ErrTooManyTokens},
		{"too large", string(sample(t, "obs_r01.xml")), &Config{MaxMessageBytes: 100}, ErrTooLarge},
		{"too many attributes", manyAttrs, nil, ErrBadXML},
		{"not POCT", `<html><PT.patient_id V="PLANTMRN0042"/></html>`, nil, ErrNotPOCT},
		{"two roots", `<EOT.R01/><EOT.R01/>`, nil, ErrNotPOCT},
		{"mismatched", `<OBS.R01><PT.name V="Fictional"></OBS.R01>`, nil, ErrBadXML},
		{"unsupported encoding", `<?xml version="1.0" encoding="UTF-16"?><EOT.R01/>`, nil, ErrBadXML},
		{"empty", ``, nil, ErrNotPOCT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in), tc.cfg)
			require.ErrorIs(t, err, tc.want)
			prototest.AssertNoneOf(t, err.Error(), planted)
		})
	}
}

// TestLatin1 reads a message declared ISO-8859-1 with a non-ASCII byte.
func TestLatin1(t *testing.T) {
	msg := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><OBS.R01><HDR><HDR.control_id V=\"9\"/></HDR>" +
		"<PT><PT.name V=\"Ren\xe9e\"/></PT></OBS.R01>")
	s, err := Parse(msg, nil)
	require.NoError(t, err)
	assert.True(t, s.PHI.Has(app.PHIName))
}

// TestEntityBombIsCheap checks the refusal of an expansion bomb costs
// little memory: nothing is expanded.
func TestEntityBombIsCheap(t *testing.T) {
	var bomb bytes.Buffer
	bomb.WriteString(`<?xml version="1.0"?><!DOCTYPE OBS.R01 [<!ENTITY a "aaaaaaaaaa">`)
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&bomb, `<!ENTITY a%d "%s">`, i, strings.Repeat(fmt.Sprintf("&a%d;", i-1), 10))
	}
	bomb.WriteString(`]><OBS.R01>&a8;</OBS.R01>`)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Parse(bomb.Bytes(), nil)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrDTD)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10))
}
