package zpl

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// TestDemoCaptureLabels replays the ZPL connections of the generated demo
// capture: every intact label is reported with the four kinds the generator
// prints, and no planted patient value appears anywhere in the output.
func TestDemoCaptureLabels(t *testing.T) {
	streams, truth := demoStreams(t)
	require.NotEmpty(t, streams)
	r := &prototest.Recorder{}
	for i := range streams {
		replay(&streams[i], r)
	}
	labels := 0
	for _, m := range r.Msgs {
		require.Equal(t, "label", m.Type)
		labels++
		assert.Equal(t, []string{"patient_id", "name", "birth_date", "accession"}, m.PHI.Kinds())
		assert.Equal(t, []string{"ZPL ^FD name", "ZPL ^FD birth date", "ZPL ^FD MRN", "ZPL ^FD accession", "ZPL barcode MRN"}, m.PHIFields)
	}
	assert.Equal(t, truth.Messages["zpl"]["label"], labels)
	for _, a := range r.Anoms {
		assert.Equal(t, ReasonGapResync, a.Reason, "only capture losses are anomalies")
	}
	assertNoPlanted(t, truth.Planted, r)
}

// TestPlantedValuesNeverLeak feeds labels and EPL jobs full of fictional patient
// values, including oversized and malformed ones, and looks for the values in
// everything emitted.
func TestPlantedValuesNeverLeak(t *testing.T) {
	planted := []string{"TESTLEAK", "LEAKFIRST", "MRN-9990001", "ACC99900017", "02/29/1952", "1952-02-29", "999-12-3456", "77 LEAK ROAD"}
	job := "^XA^FO1,1^FDTESTLEAK, LEAKFIRST^FS^FO1,2^FDDOB: 02/29/1952^FS^BCN^FDMRN-9990001^FS" +
		"^FO1,3^FDACC99900017 999-12-3456 77 LEAK ROAD^FS^FO1,4^FD" + strings.Repeat("TESTLEAK ", 300) + "^FS" +
		"^XA^FDTESTLEAK^FS" + // unterminated
		"\nN\nA1,1,0,1,1,1,N,\"TESTLEAK^LEAKFIRST\"\nA1,1,0,1,1,1,N,\"DOB 1952-02-29\"\nB1,1,0,1,1,1,1,N,\"MRN-9990001\"\nP1\n" +
		"TESTLEAK\x01LEAKFIRST\n^XA^FDTESTLEAK, LEAKFIRST"
	cfg := DefaultConfig()
	cfg.MaxFieldBytes, cfg.MaxLineBytes = 64, 64
	// The printer's answer carries a planted value in a field that is not copied.
	r := run(&cfg, job, "\x02ZT410,V1.0,8,MRN-9990001\x03")
	require.NotEmpty(t, r.Msgs)
	require.NotEmpty(t, r.Anoms)
	assertNoPlanted(t, planted, r)
}

func assertNoPlanted(t *testing.T, planted []string, r *prototest.Recorder) {
	t.Helper()
	out := r.Dump()
	for _, v := range planted {
		if strings.Contains(out, v) {
			t.Errorf("planted value %q appears in the output", v)
		}
	}
}

// TestCorpusTemplatesAreNotPHI checks the corpus's EDC templates: placeholders only.
func TestCorpusTemplatesAreNotPHI(t *testing.T) {
	files := corpusFiles(t)
	for _, p := range files {
		r := run(nil, string(readFile(t, p)), "")
		for _, m := range r.Msgs {
			assert.True(t, m.PHI.Empty(), "%s: %v", p, m.PHIFields)
		}
	}
}

var _ app.Emitter = (*prototest.Recorder)(nil)
