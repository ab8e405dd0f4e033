package hl7

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

func TestParseSamples(t *testing.T) {
	tests := []struct {
		file     string
		key      string
		sender   string
		receiver string
		version  string
		control  string
		ack      string
		results  int
		orders   int
		device   string
		software string
		warnings []string
		phi      []string
	}{
		{file: "oru_r01_cbc.hl7", key: "ORU^R01", sender: "XN-LIS^CORELAB", receiver: "EHR^MAINHOSP", version: "2.5.1",
			control: "LAB000123", results: 8, orders: 1, device: "(01)04987654321098(21)11223", software: "AcmeLIS 4.2.1",
			phi: []string{"patient_id", "name", "birth_date", "address", "phone", "ssn", "account", "accession"}},
		{file: "ack_aa.hl7", key: "ACK", sender: "EHR^MAINHOSP", receiver: "XN-LIS^CORELAB", version: "2.5.1", control: "ACK000123", ack: "AA"},
		{file: "ack_ae_err.hl7", key: "ACK", sender: "EHR^MAINHOSP", receiver: "XN-LIS^CORELAB", version: "2.5.1", control: "ACK000124", ack: "AE"},
		{file: "custom_delims.hl7", key: "ORU^R01", sender: "LAB!ONE^CORE*LAB", receiver: "EHR^MAIN", version: "2.4", control: "CUST0001",
			results: 1, orders: 1, phi: []string{"patient_id", "name", "accession"}},
		{file: "escapes_zseg_crlf.hl7", key: "ORU^R01", sender: "LAB&ONE^CORELAB", receiver: "EHR^MAIN", version: "2.3", control: "ESC0001",
			results: 2, orders: 1, phi: []string{"patient_id", "name", "accession"}},
		{file: "malformed_warnings.hl7", key: "ORU^R01", sender: "LAB^CORE", receiver: "EHR^MAIN", control: "MAL0001", results: 1,
			warnings: []string{"bad_segment_id", "control_chars", "bad_version"}, phi: []string{"patient_id", "name"}},
		{file: "oul_r22_equ.hl7", key: "OUL^R22", sender: "COBAS^LAB", receiver: "LIS^CORE", version: "2.5.1", control: "EQ0001",
			results: 1, orders: 1, device: "c501-SN0042", phi: []string{"accession"}},
		{file: "ack_v21_empty_event.hl7", key: "ACK", sender: "RAD^MIR", receiver: "ADT^HOSP", version: "2.1", control: "ACK21", ack: "CA"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data := readTestdata(t, tc.file)
			s, err := ParseMessage(data, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.key, s.Key)
			assert.Equal(t, tc.sender, s.Sender)
			assert.Equal(t, tc.receiver, s.Receiver)
			assert.Equal(t, tc.version, s.Version)
			assert.Equal(t, tc.control, s.ControlID)
			assert.Equal(t, tc.ack, s.AckCode)
			assert.Equal(t, tc.results, s.Results())
			assert.Equal(t, tc.orders, s.Orders())
			assert.Equal(t, tc.device, s.Device)
			assert.Equal(t, tc.software, s.Software)
			assert.Equal(t, tc.warnings, s.Warnings.Reasons())
			assert.Equal(t, tc.phi, s.PHI.Kinds())
			assert.Equal(t, len(data), s.Bytes)
		})
	}
}

func TestParseHeaderFields(t *testing.T) {
	s, err := ParseMessage(readTestdata(t, "oru_r01_cbc.hl7"), nil)
	require.NoError(t, err)
	assert.Equal(t, "20260304140312.123+0000", s.Time)
	assert.Equal(t, "ORU", s.MessageType)
	assert.Equal(t, "R01", s.Event)
	assert.Equal(t, "ORU_R01", s.Structure)
	assert.Equal(t, "P", s.ProcessingID)
	assert.Equal(t, "AL", s.AcceptAck)
	assert.Equal(t, "NE", s.AppAck)
	assert.Equal(t, "UNICODE UTF-8", s.Charset)
	assert.Equal(t, "Acme Lab Systems", s.SoftwareVendor)
	assert.Equal(t, "PRT-16", s.DeviceField)
	assert.Equal(t, 17, s.Segments)
	assert.Equal(t, 6, s.ValueTypeCount("NM"))
	assert.Equal(t, 1, s.ValueTypeCount("ST"))
	assert.Equal(t, 1, s.ValueTypeCount("CWE"))
	assert.Equal(t, 1, s.Count("NTE"))
	assert.Equal(t, 1, s.Count("SPM"))
	assert.True(t, s.ExpectsAck())
	assert.False(t, s.IsAck())

	s, err = ParseMessage(readTestdata(t, "ack_ae_err.hl7"), nil)
	require.NoError(t, err)
	assert.Equal(t, "LAB000124", s.AckControlID)
	assert.Equal(t, "204", s.ErrorCode)
	assert.True(t, s.IsAck())
	assert.False(t, s.ExpectsAck())

	s, err = ParseMessage(readTestdata(t, "escapes_zseg_crlf.hl7"), nil)
	require.NoError(t, err)
	assert.Equal(t, "LAB&ONE", s.SendingApp, "\\T\\ decodes to the subcomponent separator")
	assert.Equal(t, "CORELAB", s.SendingFacility, "\\X4C\\ decodes to L")
	assert.Equal(t, 1, s.Count("Z"))
}

func TestParseSeparators(t *testing.T) {
	tests := []struct {
		name string
		msh  string
		want Separators
		err  error
	}{
		{"standard", "MSH|^~\\&|", Separators{'|', '^', '~', '\\', '&', 0}, nil},
		{"truncation char", "MSH|^~\\&#|", Separators{'|', '^', '~', '\\', '&', '#'}, nil},
		{"field sep caret", "MSH^~|\\&^", Separators{'^', '~', '|', '\\', '&', 0}, nil},
		{"letters as encoding chars", "MSH!$r?@!", Separators{'!', '$', 'r', '?', '@', 0}, nil},
		{"three chars", "MSH|^~}|", Separators{'|', '^', '~', '}', 0, 0}, nil},
		{"doubled backslash", "MSH|^~\\\\&|", Separators{'|', '^', '~', '\\', 0, '&'}, nil},
		{"empty MSH-2", "MSH|||", Separators{}, ErrBadSeparators},
		{"letter field sep", "MSHH0", Separators{}, ErrBadSeparators},
		{"six chars", "MSH|#^~\\@#S|", Separators{}, ErrBadSeparators},
		{"component equals repetition", "MSH|^^A|", Separators{}, ErrBadSeparators},
		{"control byte", "MSH|^~\x01&|", Separators{}, ErrBadSeparators},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseMessage([]byte(tc.msh+"A|B|C|D|1||ADT^A01|1|P|2.5"), nil)
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				return
			}
			assert.Equal(t, tc.want, s.Separators)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		msg    string
		err    error
		reason string
		bytes  int
	}{
		{"empty", "", ErrEmpty, ReasonBadMSH, 0},
		{"blank", "\r\n \r", ErrEmpty, ReasonBadMSH, 4},
		{"no MSH", "PID|1||X\rPV1|1\r", ErrNoMSH, ReasonBadMSH, 15},
		{"no MSH then a message", "PID|1\rMSH|^~\\&|A\r", ErrNoMSH, ReasonBadMSH, 6},
		{"bad separators", "MSH|||||\rPID|1\r", ErrBadSeparators, ReasonBadMSH, 15},
		{"missing type", "MSH|^~\\&|A|B|C|D|1||^A01|1|P|2.5\r", ErrMissingType, ReasonMissingMSH9, 33},
		{"truncated header", "MSH|^~\\&|App|Fac", ErrMissingType, ReasonMissingMSH9, 16},
		{"long type", "MSH|^~\\&|A|B|C|D|1||ABC123|1|P|2.5\r", ErrBadType, ReasonBadMSH9, 35},
		{"lower-case type", "MSH|^~\\&|A|B|C|D|1||adt^A01|1|P|2.5\r", ErrBadType, ReasonBadMSH9, 36},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseMessage([]byte(tc.msg), nil)
			require.ErrorIs(t, err, tc.err)
			assert.Equal(t, tc.reason, ReasonOf(err))
			assert.True(t, strings.HasPrefix(err.Error(), "hl7: "))
			assert.Equal(t, tc.bytes, s.Bytes)
			assert.Empty(t, s.Key)
		})
	}
	assert.Equal(t, "", ReasonOf(nil))
}

func TestParseWarnings(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want []string
	}{
		{"clean", "MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPID|1\r", nil},
		{"no control id", "MSH|^~\\&|A|B|C|D|1||ADT^A01||P|2.5\r", []string{"missing_msh10"}},
		{"version 1.0", "MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|1.0\r", []string{"bad_version"}},
		{"event too long", "MSH|^~\\&|A|B|C|D|1||ADT^A01X|1|P|2.5\r", []string{"bad_msh9"}},
		{"ack without MSA", "MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5\rZSA|AA|1\r", []string{"missing_msa"}},
		{"unknown ack code", "MSH|^~\\&|A|B|C|D|1||ACK|1|P|2.5\rMSA|OK|1\r", []string{"bad_ack_code"}},
		{"bad segment ids", "MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPIDX|1\rPV|1\r1AB|x\r", []string{"bad_segment_id"}},
		{"NUL byte", "MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPID|1|\x00\r", []string{"control_chars"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseMessage([]byte(tc.msg), nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, s.Warnings.Reasons())
		})
	}
	s, _ := ParseMessage([]byte("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPIDX|1\rPV|1\r"), nil)
	assert.Equal(t, 2, s.BadSegments)
	assert.Equal(t, 2, s.FirstBadSegment)
}

func TestParseTerminators(t *testing.T) {
	body := []string{"MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5", "PID|1||X", "OBR|1", "OBX|1|NM|A||1", "OBX|2|NM|B||2"}
	for name, term := range map[string]string{"CR": "\r", "LF": "\n", "CRLF": "\r\n", "CR CR LF": "\r\r\n"} {
		t.Run(name, func(t *testing.T) {
			s, err := ParseMessage([]byte(strings.Join(body, term)+term), nil)
			require.NoError(t, err)
			assert.Equal(t, 5, s.Segments)
			assert.Equal(t, 2, s.Results())
		})
	}
}

// TestParseStopsAtNextRecord: ParseMessage reports where the next message
// or batch segment starts, so a caller can walk a file.
func TestParseStopsAtNextRecord(t *testing.T) {
	first := "MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5\rOBX|1|NM|A||1\r\r\n"
	for _, next := range []string{"MSH|^~\\&|A|B|C|D|1||ACK|2|P|2.5\r", "BTS|1\r", "FHS|^~\\&|\r"} {
		s, err := ParseMessage([]byte(first+next), nil)
		require.NoError(t, err)
		assert.Equal(t, len(first), s.Bytes)
	}
}

func TestParseLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("MSH|^~\\&|" + strings.Repeat("N", 300) + "|F\x07AC|C|D|1||ORU^R01|1|P|2.5\r")
	for i := 0; i < 20; i++ {
		b.WriteString("OBX|1|NM|A||1\r")
	}
	b.WriteString("PID|1||X\r")
	cfg := &Config{MaxSegments: 10, MaxValueBytes: 16}
	s, err := ParseMessage([]byte(b.String()), cfg)
	require.NoError(t, err)
	assert.Equal(t, 10, s.Segments)
	assert.Equal(t, 9, s.Results())
	assert.True(t, s.Truncated)
	assert.Equal(t, []string{"control_chars", "too_many_segments"}, s.Warnings.Reasons())
	assert.Equal(t, strings.Repeat("N", 16), s.SendingApp, "copied values are capped")
	assert.Equal(t, "F?AC", s.SendingFacility, "control bytes never reach a string")
	assert.Empty(t, s.PHI.Kinds(), "segments past the cap are not read")
	assert.Equal(t, b.Len(), s.Bytes, "the whole message is still consumed")

	// A cap cutting a multi-byte character keeps the string valid UTF-8.
	s, err = ParseMessage([]byte("MSH|^~\\&|ААААААААААААААААААААААААА|B|C|D|1||ADT^A01|1|P|2.5\r"), &Config{MaxValueBytes: 5})
	require.NoError(t, err)
	assert.Equal(t, "АА", s.SendingApp)
}

func TestParseUTF16(t *testing.T) {
	text := "MSH|^~\\&|Лаб|B|C|D|20260101||ACK|7|P|2.5\r\nMSA|AA|6\r\n"
	units := utf16.Encode([]rune(text))
	le := []byte{0xFF, 0xFE}
	be := []byte{0xFE, 0xFF}
	noBOM := []byte{}
	for _, u := range units {
		le = append(le, byte(u), byte(u>>8))
		be = append(be, byte(u>>8), byte(u))
		noBOM = append(noBOM, byte(u), byte(u>>8))
	}
	for name, in := range map[string][]byte{"LE": le, "BE": be, "LE without BOM": noBOM} {
		t.Run(name, func(t *testing.T) {
			s, err := ParseMessage(in, nil)
			require.NoError(t, err)
			assert.Equal(t, "ACK", s.Key)
			assert.Equal(t, "Лаб^B", s.Sender)
			assert.Equal(t, "AA", s.AckCode)
			assert.Equal(t, len(in), s.Bytes)
			assert.Contains(t, s.Encoding, "UTF-16")
		})
	}
	_, err := ParseMessage(le[:len(le)-1], nil)
	assert.ErrorIs(t, err, ErrBadUTF16)
}

// TestParseCorpusUTF16 is the corpus sample in UTF-16LE: it decodes, and is
// rejected for what it is, an MSH one field short (MSH-9 holds "ABC123").
func TestParseCorpusUTF16(t *testing.T) {
	s, err := ParseMessage(readCorpus(t, "hl7v2rs__ack_v251_utf16le_bom.hl7"), nil)
	assert.ErrorIs(t, err, ErrBadType)
	assert.Equal(t, "UTF-16LE", s.Encoding)
	assert.Equal(t, "SendingApp^SendingFac", s.Sender)
}

func TestParseBatchHeader(t *testing.T) {
	h, err := ParseBatchHeader([]byte("BHS|^~\\&|LAB|CORE|PH|STATE|20260304120000||BATCH0001||BCTL0001\r"), nil)
	require.NoError(t, err)
	assert.Equal(t, BatchHeader{Segment: "BHS", Sender: "LAB^CORE", Receiver: "PH^STATE", Time: "20260304120000",
		Name: "BATCH0001", ControlID: "BCTL0001"}, h)
	_, err = ParseBatchHeader([]byte("MSH|^~\\&|A"), nil)
	assert.ErrorIs(t, err, ErrNoBatchHeader)
	_, err = ParseBatchHeader([]byte("FHS|||"), nil)
	assert.ErrorIs(t, err, ErrBadSeparators)
}

func TestExpectsAck(t *testing.T) {
	tests := []struct{ accept, app string }{{"", ""}, {"AL", "NE"}, {"NE", "AL"}, {"SU", "SU"}}
	for _, tc := range tests {
		s := Summary{AcceptAck: tc.accept, AppAck: tc.app}
		assert.True(t, s.ExpectsAck(), "%+v", tc)
	}
	for _, tc := range []struct{ accept, app string }{{"NE", "NE"}, {"ER", "NE"}, {"ER", "ER"}} {
		s := Summary{AcceptAck: tc.accept, AppAck: tc.app}
		assert.False(t, s.ExpectsAck(), "%+v", tc)
	}
}

func TestConfig(t *testing.T) {
	d := DefaultConfig()
	require.NoError(t, d.Validate())
	assert.Equal(t, d, withDefaults(nil))
	assert.Equal(t, d, withDefaults(&Config{}))
	bad := Config{MaxSegments: -1}
	assert.ErrorContains(t, bad.Validate(), "hl7: config max_segments")
	_ = app.Match
}

// TestHasControl checks the word test against the byte test for every byte
// value at every position, over several backgrounds (including UTF-8 high
// bytes, which the trick must not mistake for controls).
func TestHasControl(t *testing.T) {
	for _, bg := range []byte{' ', 'A', '~', 0x7e, 0x80, 0xc3, 0xff} {
		for pos := 0; pos < 8; pos++ {
			for v := 0; v < 256; v++ {
				var w [8]byte
				for i := range w {
					w[i] = bg
				}
				w[pos] = byte(v)
				want := false
				for _, c := range w {
					want = want || c < 0x20 || c == 0x7f
				}
				x := uint64(0)
				for i := 7; i >= 0; i-- {
					x = x<<8 | uint64(w[i])
				}
				if got := hasControl(x); got != want {
					t.Fatalf("hasControl(% x) = %v, want %v", w, got, want)
				}
			}
		}
	}
}
