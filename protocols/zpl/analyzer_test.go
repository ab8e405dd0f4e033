package zpl

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// specimenLabel is shaped like the generator's: a name, a DOB caption, an MRN
// barcode, the MRN and an accession as text, and a collection time.
const specimenLabel = "^XA\r\n^CI28^PW406^LL203^LH0,0\r\n" +
	"^FO12,10^A0N,26,24^FDTESTCASE, ONE^FS\r\n" +
	"^FO12,40^A0N,20,18^FDDOB: 03/12/1945  F^FS\r\n" +
	"^FO12,64^BY2^BCN,56,N,N,N^FDMRN-1234501^FS\r\n" +
	"^FO12,126^A0N,20,18^FDMRN-1234501  ACC2603011^FS\r\n" +
	"^FO12,150^A0N,20,18^FDCMP  SST  Serum^FS\r\n" +
	"^FO12,174^A0N,18,16^FDColl: 2026-03-02 15:04  WS1^FS\r\n" +
	"^PQ1\r\n^XZ\r\n"

func TestLabels(t *testing.T) {
	tests := []struct {
		name    string
		c2s     string
		s2c     string
		types   []string
		phi     []string
		fields  []string
		reasons []string
	}{
		{name: "specimen label", c2s: specimenLabel, types: []string{"label"},
			phi:    []string{"patient_id", "name", "birth_date", "accession"},
			fields: []string{"ZPL ^FD name", "ZPL ^FD birth date", "ZPL ^FD MRN", "ZPL ^FD accession", "ZPL barcode MRN"}},
		{name: "two labels in one job", c2s: specimenLabel + specimenLabel, types: []string{"label", "label"},
			phi:    []string{"patient_id", "name", "birth_date", "accession"},
			fields: []string{"ZPL ^FD name", "ZPL ^FD birth date", "ZPL ^FD MRN", "ZPL ^FD accession", "ZPL barcode MRN"}},
		{name: "template placeholders", c2s: "^XA^FO1,1^FD${last_name}, ${first_name}^FS^FO1,40^FDDOB: ${dob}^FS^BCN^FD${mrn}^FS^XZ",
			types: []string{"label"}},
		{name: "shipping label", c2s: "^XA^FO5,5^FDShip to: Main Lab Store^FS^FO5,40^FDLot 2026-03 exp 2027-01-31^FS^BCN,60^FD4471220300^FS^XZ",
			types: []string{"label"}},
		{name: "DOB caption in its own field", c2s: "^XA^FO1,1^FDDOB:^FS^FO90,1^FD12.03.1945^FS^XZ",
			types: []string{"label"}, phi: []string{"birth_date"}, fields: []string{"ZPL ^FD birth date"}},
		{name: "caret name and MRN caption", c2s: "^xa^fo1,1^FH^fdTESTCASE_5eTWO^fs^fo1,30^fdMRN: 00412345^fs^xz",
			types: []string{"label"}, phi: []string{"patient_id", "name"}, fields: []string{"ZPL ^FD name", "ZPL ^FD MRN"}},
		{name: "EPL job", c2s: "\nN\nq609\nA26,10,0,3,1,1,N,\"FICTIONAL, SAMPLE\"\nB26,70,0,1,2,4,60,N,\"MRN-5550001\"\nP1\n",
			types: []string{"label"}, phi: []string{"patient_id", "name"}, fields: []string{"EPL A name", "EPL B MRN"}},
		{name: "printer identification", c2s: "~HI\r\n", s2c: "\x02ZT410-203dpi,V75.20.01Z,8,8192KB\x03\r\n",
			types: []string{"host_identification"}},
		{name: "host status", c2s: "~HS", s2c: "\x02030,1,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02000,0,0,0,0,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n",
			types: []string{"host_status"}},
		{name: "graphic download before the format", c2s: "~DGR:LOGO.GRF,40,2,\r\n" + strings.Repeat("FF00FF00\r\n", 40) + ",:::\r\n" + specimenLabel,
			types:  []string{"label"},
			phi:    []string{"patient_id", "name", "birth_date", "accession"},
			fields: []string{"ZPL ^FD name", "ZPL ^FD birth date", "ZPL ^FD MRN", "ZPL ^FD accession", "ZPL barcode MRN"}},
		{name: "SGD query and answer", c2s: "! U1 getvar \"device.product_name\"\r\n", s2c: "\"ZT410\"\r\n"},
		{name: "unterminated at end", c2s: "^XA^FO1,1^FDTESTCASE, THREE^FS", reasons: []string{ReasonUnterminated}},
		{name: "new format before end", c2s: "^XA^FO1,1^FDx^FS^XA^FDy^FS^XZ", types: []string{"label"}, reasons: []string{ReasonUnterminated}},
		{name: "caret changed", c2s: "^XA^CC+\n+FO10,10+FDCARET, CHANGED+FS+XZ\n", types: []string{"label"},
			phi: []string{"name"}, fields: []string{"ZPL ^FD name"}},
		{name: "stream joined inside a field", c2s: "E, HALF^FS\r\n^FO1,1^FDx^FS^XZ\r\n" + specimenLabel, types: []string{"label"},
			phi:    []string{"patient_id", "name", "birth_date", "accession"},
			fields: []string{"ZPL ^FD name", "ZPL ^FD birth date", "ZPL ^FD MRN", "ZPL ^FD accession", "ZPL barcode MRN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check := func(t *testing.T, r *prototest.Recorder) {
				assert.Equal(t, tc.types, r.Types())
				assert.Equal(t, tc.reasons, r.Reasons())
				if len(r.Msgs) == 0 {
					return
				}
				m := r.Msgs[len(r.Msgs)-1]
				assert.Equal(t, tc.phi, m.PHI.Kinds())
				if tc.fields == nil {
					assert.Empty(t, m.PHIFields)
				} else {
					assert.Equal(t, tc.fields, m.PHIFields)
				}
			}
			check(t, run(nil, tc.c2s, tc.s2c))
			rng := rand.New(rand.NewPCG(1, uint64(len(tc.c2s))))
			for range 20 {
				check(t, runSplit(nil, []byte(tc.c2s), []byte(tc.s2c), rng))
			}
		})
	}
}

func TestLabelAttributes(t *testing.T) {
	r := run(nil, specimenLabel, "")
	require.Len(t, r.Msgs, 1)
	m := r.Msgs[0]
	assert.Equal(t, "zpl", m.App)
	assert.Equal(t, map[string]string{"language": "zpl"}, m.Attrs)
	assert.Equal(t, map[string]int{"fields": 6, "barcodes": 1, "copies": 1}, m.Counts)
	assert.Equal(t, len(specimenLabel)-2, m.Bytes) // the CRLF after ^XZ is outside
}

func TestPrinterIdentity(t *testing.T) {
	r := run(nil, "~HI", "\x02ZT410-203dpi,V75.20.01Z,8,8192KB\x03")
	require.Len(t, r.Msgs, 1)
	assert.Equal(t, "ZT410-203dpi", r.Msgs[0].Device)
	assert.Equal(t, "V75.20.01Z", r.Msgs[0].Software)

	r = run(nil, "~HS", "\x02030,1,1,1245,000,0,0,0,000,0,0,0\x03\x02000,0,0,0,0,2,6,0,00000000,1,000\x03\x021234,0\x03")
	require.Len(t, r.Msgs, 1)
	assert.Equal(t, map[string]int{"paper_out": 1, "paused": 1}, r.Msgs[0].Counts)
}

func TestCaps(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxFieldBytes = 8
	r := run(&cfg, "^XA^FD"+strings.Repeat("A", 100)+"^FS^XZ", "")
	assert.Equal(t, []string{ReasonFieldTooLarge}, r.Reasons())
	require.Len(t, r.Msgs, 1)
	assert.Equal(t, 1, r.Msgs[0].Counts["truncated_fields"])

	cfg = DefaultConfig()
	cfg.MaxLabelBytes = 64
	r = run(&cfg, "^XA"+strings.Repeat("^FO1,1^FDabc^FS", 10)+"^XZ"+specimenLabel[:0], "")
	assert.Equal(t, []string{ReasonLabelTooLarge}, r.Reasons())
	assert.Empty(t, r.Msgs)

	cfg = DefaultConfig()
	cfg.MaxResponseBytes = 16
	r = run(&cfg, "", "\x02"+strings.Repeat("x", 40)+"\x03")
	assert.Equal(t, []string{ReasonResponseTooLarge}, r.Reasons())

	cfg = DefaultConfig()
	cfg.MaxLineBytes = 16
	r = run(&cfg, "N\nA1,1,0,1,1,1,N,\""+strings.Repeat("x", 40)+"\"\nP1\n", "")
	assert.Equal(t, []string{ReasonLineTooLarge}, r.Reasons())
	assert.Equal(t, []string{"label"}, r.Types())
}

func TestGapResync(t *testing.T) {
	r := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, r, nil)
	a.Data(app.ClientToServer, []byte(specimenLabel[:60]), t0)
	a.Gap(app.ClientToServer, 100)
	a.Data(app.ClientToServer, []byte("FO1,1^FDafter^FS^XZ\r\n"+specimenLabel), t0)
	a.Expire()
	assert.Equal(t, []string{ReasonGapResync}, r.Reasons())
	assert.Equal(t, []string{"label"}, r.Types())
}

func TestGarbageGivesUpOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(rng.Uint32())
	}
	r := run(nil, string(junk), string(junk))
	assert.Empty(t, r.Msgs)
	gave := 0
	for _, a := range r.Anoms {
		if a.GaveUp {
			gave++
		}
	}
	assert.Equal(t, 1, gave)
	assert.Equal(t, ReasonGaveUp, r.Anoms[len(r.Anoms)-1].Reason)
}

func TestEPLGraphicBytesAreSkipped(t *testing.T) {
	img := []byte{0x00, '\n', 0xff, 0x02, '"', 0x0a}
	job := "N\nGW10,10,2,3," + string(img) + "\nA1,1,0,1,1,1,N,\"FICTIONAL, SAMPLE\"\nP1\n"
	r := run(nil, job, "")
	assert.Empty(t, r.Reasons())
	require.Len(t, r.Msgs, 1)
	assert.Equal(t, 1, r.Msgs[0].Counts["graphics"])
	assert.Equal(t, []string{"name"}, r.Msgs[0].PHI.Kinds())
}

func TestBadPatternFallsBack(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MRNPattern = "(["
	require.ErrorIs(t, cfg.Valid(), ErrBadPattern)
	assert.NotContains(t, cfg.Valid().Error(), "([")
	r := run(&cfg, specimenLabel, "")
	assert.True(t, r.Msgs[0].PHI.Has(app.PHIPatientID))

	cfg.MRNPattern = `^H\d{6}$`
	require.NoError(t, cfg.Valid())
	r = run(&cfg, "^XA^BCN^FDH123456^FS^XZ", "")
	assert.Equal(t, []string{"ZPL barcode MRN"}, r.Msgs[0].PHIFields)
}

func TestSteadyStateDoesNotAllocate(t *testing.T) {
	a := NewAnalyzer(testFlow, &prototest.NullEmitter{}, nil)
	job := []byte(specimenLabel)
	a.Data(app.ClientToServer, job, t0)
	allocs := testing.AllocsPerRun(50, func() { a.Data(app.ClientToServer, job, t0) })
	assert.Zero(t, allocs)
}
