package astm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// Fictional patient values planted in every identifying field. None may come out
// of the package: not in messages, anomalies, sessions or errors.
var planted = []string{
	"ZQX-PRAC-7731", "ZQX-LAB-99120", "987-65-4329", "Quixotic", "Zebulon",
	"Marmaduke", "19011231", "Evergreen", "Springfield", "555-0199-4242",
	"ACC-7Y7Y7Y", "INSTR-5R5R5R", "ZQX-QPAT", "ACC-Q-31337",
}

var plantedRecords = []string{
	`H|\^&|||LEAKTEST^1.0|||||LIS||P|LIS2-A2|20260304140000`,
	`P|1|ZQX-PRAC-7731|ZQX-LAB-99120|987-65-4329|Quixotic^Zebulon^X|Marmaduke|19011231|M||742 Evergreen Terrace^Springfield||555-0199-4242`,
	`O|1|ACC-7Y7Y7Y|INSTR-5R5R5R|^^^GLU|R`,
	`R|1|^^^GLU|5.4|mmol/L||N||F`,
	`C|1|I|Quixotic Zebulon called|G`,
	`Q|1|ZQX-QPAT^ACC-Q-31337||ALL`,
	`L|1|N`,
}

// leakInputs are streams carrying the planted values through normal and error
// paths: framed, raw, a failing checksum, an oversize record, lines that are
// not records, records outside a message, an aborted transmission.
func leakInputs() map[string][]byte {
	raw := []byte(strings.Join(plantedRecords, "\r") + "\r")
	framed := transmission(plantedRecords...)
	badSum := []byte("\x05\x021" + plantedRecords[1] + "\r\x0300\r\n\x04")
	oversize := []byte(plantedRecords[0] + "\r" + plantedRecords[1] + strings.Repeat("|Quixotic", 40) + "\rL|1|N\r")
	notRecords := []byte("Quixotic Zebulon 19011231\r#ZQX-LAB-99120\r")
	headerless := []byte(strings.Join(plantedRecords[1:], "\r") + "\r")
	aborted := transmission(plantedRecords[:3]...)
	split := []byte("\x05" + frame('1', plantedRecords[0]+"\r", etx) + frame('2', plantedRecords[1][:40], etb) +
		frame('4', plantedRecords[1][40:]+"\r", etx) + "\x04")
	return map[string][]byte{
		"raw": raw, "framed": framed, "bad checksum": badSum, "oversize": oversize,
		"not records": notRecords, "headerless": headerless, "aborted": aborted, "lost frame": split,
	}
}

func TestNoPatientValueLeaks(t *testing.T) {
	cfg := &Config{MaxRecordBytes: 200}
	for name, data := range leakInputs() {
		t.Run(name, func(t *testing.T) {
			rec := &prototest.Recorder{}
			a := NewAnalyzer(testFlow, rec, cfg)
			feed(a, app.ClientToServer, data, t0, func(n int) []int { return []int{n / 3, n / 2} })
			a.Gap(app.ClientToServer, -1)
			a.Data(app.ServerToClient, data, t0)
			a.Expire()
			s, err := ParseRecords(data, cfg)

			prototest.AssertNoneOf(t, rec.Dump()+fmt.Sprintf("%+v\n%v\n", s, err), planted)
		})
	}
}

func TestPlantedFieldsAreReportedByKind(t *testing.T) {
	rec := run(t, nil, transmission(plantedRecords...))
	require.Len(t, rec.Msgs, 1)
	m := rec.Msgs[0]
	assert.Equal(t, []string{"ASTM P-3", "ASTM P-4", "ASTM P-5", "ASTM P-6", "ASTM P-7", "ASTM P-8",
		"ASTM P-11", "ASTM P-13", "ASTM O-3", "ASTM O-4", "ASTM Q-3"}, m.PHIFields)
	for _, k := range []app.PHIKind{app.PHIPatientID, app.PHIName, app.PHIBirthDate, app.PHIAddress,
		app.PHIPhone, app.PHIRelative, app.PHIAccession} {
		assert.True(t, m.PHI.Has(k), k.String())
	}
	assert.False(t, m.PHI.Has(app.PHISSN), "P-5 is reported as a patient ID, not guessed to be an SSN")
}

func TestPHIFieldRules(t *testing.T) {
	d := defaultDelimiters
	tests := []struct {
		rec    string
		qc     bool
		fields []string
	}{
		{"P|1||||^^^^||||||", false, nil}, // components only: blank
		{"P|1|  |", false, nil},           // spaces only: blank
		{"P|1|||||||||||||||||||Doe", false, nil},
		{"P|1||||Doe^J", false, []string{"ASTM P-6"}},
		{"O|1|PX449L||^^^DIF", true, nil}, // QC control lot
		{"O|1|S1||^^^DIF", false, []string{"ASTM O-3"}},
		{"Q|1|ALL||ALL", false, nil},
		{"Q|1|^^ALL|^S2", false, []string{"ASTM Q-4"}},
		{"R|1|^^^X|1", false, nil},
	}
	for _, tt := range tests {
		var set app.PHISet
		var mask uint32
		phiScan([]byte(tt.rec), &d, tt.qc, &set, &mask)
		assert.Equal(t, tt.fields, phiFieldNames(nil, mask), tt.rec)
		assert.Equal(t, len(tt.fields) == 0, set.Empty(), tt.rec)
	}
}
