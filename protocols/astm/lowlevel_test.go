package astm

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

// TestConversations states, for each scripted conversation, what must come out:
// per message its direction, type and chosen counts, and the anomaly reasons in
// order. The golden files hold the rest.
func TestConversations(t *testing.T) {
	type msg struct {
		dir    app.Direction
		typ    string
		counts map[string]int
	}
	tests := []struct {
		file    string
		msgs    []msg
		reasons string
	}{
		{"enq_ack_result", []msg{{app.ClientToServer, "result",
			map[string]int{"H": 1, "P": 1, "O": 1, "R": 3, "C": 1, "L": 1, KeyFrames: 9, KeyETBFrames: 1}}}, ""},
		{"nak_retry", []msg{{app.ClientToServer, "result",
			map[string]int{"P": 1, "O": 1, "R": 1, "L": 1, KeyFrames: 8, KeyNAKs: 3, KeyRetries: 3, KeyChecksumErrors: 1}}},
			"bad_checksum"},
		{"contention_busy", []msg{{app.ClientToServer, "query",
			map[string]int{"Q": 1, KeyContention: 1, KeyBusy: 1, KeyNAKs: 1, KeyFrames: 3}}}, ""},
		{"lis_order_download", []msg{
			{app.ClientToServer, "query", map[string]int{"Q": 1, KeyFrames: 3}},
			{app.ServerToClient, "order", map[string]int{"P": 1, "O": 1, KeyFrames: 4, "termination_finished": 1}},
		}, ""},
		{"aborted", []msg{{app.ClientToServer, "other", map[string]int{"H": 1, "L": 1, KeyFrames: 5}}},
			"aborted_session aborted_session"},
		{"timeout", []msg{{app.ClientToServer, "other", map[string]int{"H": 1, "L": 1}}}, "timeout"},
		{"gap", []msg{{app.ClientToServer, "other", map[string]int{"H": 1, "L": 1}}}, "gap_resync"},
		{"receiver_interrupt", []msg{
			{app.ClientToServer, "other", map[string]int{KeyInterrupts: 1, KeyFrames: 2}},
			{app.ServerToClient, "other", map[string]int{"C": 1, KeyFrames: 3}},
		}, ""},
		{"raw_crlf", []msg{
			{app.ClientToServer, "result", map[string]int{"R": 1, KeyFrames: 0}},
			{app.ClientToServer, "result", map[string]int{"R": 1, KeyFrames: 0}},
		}, ""},
		{"dialects", []msg{
			{app.ClientToServer, "other", map[string]int{"P": 1, KeyNoChecksum: 3, KeyUnnumbered: 3}},
			{app.ClientToServer, "result", map[string]int{"P": 1, "O": 1, "R": 1, KeyFrames: 1}},
			{app.ClientToServer, "other", map[string]int{KeyFrames: 2}},
		}, ""},
		{"bad_frames", []msg{{app.ClientToServer, "other", map[string]int{"H": 1, "L": 1}}},
			"framing_error framing_error bad_frame_number framing_error"},
		{"records", []msg{
			{app.ClientToServer, "result", map[string]int{KeyOtherRecords: 1, "R": 1}},
			{app.ClientToServer, "other", map[string]int{"H": 1, "L": 1}},
		}, "missing_header missing_terminator unexpected_record bad_delimiters"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec := play(loadScript(t, filepath.Join("testdata", "conv", tt.file+".txt")), nil, nil)
			require.Len(t, rec.Msgs, len(tt.msgs))
			for i, want := range tt.msgs {
				got := rec.Msgs[i]
				assert.Equal(t, "astm", got.App)
				assert.Equal(t, want.dir, got.Dir, "message %d", i)
				assert.Equal(t, want.typ, got.Type, "message %d", i)
				for k, v := range want.counts {
					assert.Equal(t, v, got.Counts[k], "message %d count %s", i, k)
				}
			}
			assert.Equal(t, tt.reasons, strings.Join(rec.Reasons(), " "))
		})
	}
}

// frame builds one E1381 frame with the checksum computed here.
func frame(fn byte, text string, end byte) string {
	sum := int(fn) + int(end)
	for i := 0; i < len(text); i++ {
		sum += int(text[i])
	}
	return fmt.Sprintf("\x02%c%s%c%02X\r\n", fn, text, end, sum%256)
}

// transmission frames records (each ending in CR) one per frame between ENQ and
// EOT, numbering frames 1..7, 0, 1 ….
func transmission(records ...string) []byte {
	var b strings.Builder
	b.WriteByte(enq)
	for i, r := range records {
		b.WriteString(frame(byte('0'+(i+1)%8), r+"\r", etx))
	}
	b.WriteByte(eot)
	return []byte(b.String())
}

func run(t *testing.T, cfg *Config, data ...[]byte) *prototest.Recorder {
	t.Helper()
	rec := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, rec, cfg)
	for _, d := range data {
		a.Data(app.ClientToServer, d, t0)
	}
	a.Expire()
	return rec
}

func TestFrameNumberWrap(t *testing.T) {
	recs := []string{`H|\^&|||A`, "P|1"}
	for range 20 {
		recs = append(recs, "O|1|S||^^^X", "R|1|^^^X|1")
	}
	recs = append(recs, "L|1|N")
	rec := run(t, nil, transmission(recs...))
	require.Empty(t, rec.Anoms)
	require.Len(t, rec.Msgs, 1)
	assert.Equal(t, len(recs), rec.Msgs[0].Counts[KeyFrames])
	assert.Equal(t, 20, rec.Msgs[0].Results)
}

func TestChecksumOfKnownFrame(t *testing.T) {
	// From the VITROS 3600 host query in the corpus: <STX>3L|1|N<CR><ETX>06.
	assert.Equal(t, byte(0x06), checksum([]byte("3L|1|N\r"), etx))
	assert.Equal(t, "\x023L|1|N\r\x0306\r\n", frame('3', "L|1|N\r", etx))
}

func TestCaps(t *testing.T) {
	long := strings.Repeat("9", 300)
	tests := []struct {
		name    string
		cfg     Config
		data    []byte
		reasons string
		msgs    int
	}{
		{"frame too large", Config{MaxFrameBytes: 100},
			append(transmission(`H|\^&|||A`, "P|1|"+long, "L|1|N"), transmission(`H|\^&|||A`, "L|1|N")...),
			"frame_too_large", 1},
		{"record too large over ETB frames", Config{MaxRecordBytes: 200},
			[]byte("\x05" + frame('1', `H|\^&|||A`+"\r", etx) + frame('2', "P|1|"+long[:150], etb) +
				frame('3', long[:150]+"\r", etx) + frame('4', "L|1|N\r", etx) + "\x04"),
			"record_too_large", 1},
		{"message too many records", Config{MaxMessageRecords: 3},
			transmission(`H|\^&|||A`, "P|1", "O|1", "R|1", "L|1|N"), "message_too_large", 0},
		{"message too many bytes", Config{MaxMessageBytes: 200},
			transmission(`H|\^&|||A`, "P|1|"+long[:100], "O|1|"+long[:100], "L|1|N"), "message_too_large", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := run(t, &tt.cfg, tt.data)
			assert.Equal(t, tt.reasons, strings.Join(rec.Reasons(), " "))
			assert.Len(t, rec.Msgs, tt.msgs)
		})
	}
}

func TestGaveUpOnce(t *testing.T) {
	var junk []byte
	for range 40 {
		junk = append(junk, "\x021bad\x0300\r\n"...)
	}
	rec := run(t, &Config{MaxViolations: 5}, junk, transmission(`H|\^&|||A`, "L|1|N"))
	require.Len(t, rec.Anoms, 6)
	assert.Equal(t, ReasonGaveUp, rec.Anoms[5].Reason)
	assert.True(t, rec.Anoms[5].GaveUp)
	for _, a := range rec.Anoms[:5] {
		assert.Equal(t, ReasonBadChecksum, a.Reason)
		assert.False(t, a.GaveUp)
	}
	assert.Empty(t, rec.Msgs, "nothing is parsed after giving up")
}

func TestViolationsResetByGoodMessage(t *testing.T) {
	bad := []byte("\x021bad\x0300\r\n\x04")
	good := transmission(`H|\^&|||A`, "L|1|N")
	var data [][]byte
	for range 10 {
		data = append(data, bad, bad, good)
	}
	rec := run(t, &Config{MaxViolations: 3}, data...)
	assert.Len(t, rec.Msgs, 10)
	assert.NotContains(t, rec.Reasons(), ReasonGaveUp)
}

func TestSessionTimeout(t *testing.T) {
	rec := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, rec, &Config{SessionTimeout: time.Minute})
	// Raw records trickling in every 20 s: no frame timeout, but the message
	// stays open past SessionTimeout.
	lines := []string{"H|\\^&|||A\r", "P|1\r", "O|1\r", "R|1\r", "R|2\r", "L|1|N\r"}
	for i, l := range lines {
		a.Data(app.ClientToServer, []byte(l), t0.Add(time.Duration(i)*20*time.Second))
	}
	a.Expire()
	// The records after the timeout belong to the abandoned message: ignored.
	assert.Equal(t, []string{ReasonTimeout}, rec.Reasons())
	assert.Empty(t, rec.Msgs)
}

func TestCompleteMessageFlushedBySilence(t *testing.T) {
	// A framed message without EOT is handed over once the flow falls silent.
	rec := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, rec, nil)
	tx := transmission(`H|\^&|||A`, "L|1|N")
	a.Data(app.ClientToServer, tx[:len(tx)-1], t0)
	require.Empty(t, rec.Msgs)
	a.Data(app.ServerToClient, []byte{ack}, t0.Add(time.Minute))
	require.Len(t, rec.Msgs, 1)
	assert.Empty(t, rec.Anoms)
}

func TestEndOfStream(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		reasons string
		msgs    int
	}{
		{"frame cut", "\x05" + frame('1', "H|\\^&\r", etx) + "\x022L|1", "framing_error aborted_session", 0},
		{"trailer without checksum at end", "\x021H|\\^&\rL|1|N\r\x03", "", 1},
		{"trailer cut after one digit", "\x021H|\\^&\rL|1|N\r\x033", "framing_error", 0},
		{"raw line without terminator", "H|\\^&\rL|1|N", "", 1},
		{"raw message without L", "H|\\^&\rP|1\r", "aborted_session", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &prototest.Recorder{}
			a := NewAnalyzer(testFlow, rec, nil)
			a.Data(app.ClientToServer, []byte(tt.data), t0)
			a.End(app.ClientToServer)
			a.Expire() // after End: nothing more to report
			assert.Equal(t, tt.reasons, strings.Join(rec.Reasons(), " "))
			assert.Len(t, rec.Msgs, tt.msgs)
		})
	}
}

func TestGapOnRawStreamResyncsAtHeader(t *testing.T) {
	rec := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, rec, nil)
	a.Data(app.ClientToServer, []byte("H|\\^&|||A\rP|1|"), t0)
	a.Gap(app.ClientToServer, 10)
	a.Data(app.ClientToServer, []byte("lost tail\rO|1\rL|1|N\rH|\\^&|||B\rL|1|N\r"), t0)
	a.Expire()
	assert.Equal(t, []string{ReasonGapResync}, rec.Reasons())
	require.Len(t, rec.Msgs, 1)
	assert.Equal(t, "B", rec.Msgs[0].Sender)
}

func TestUnknownDirectionIgnored(t *testing.T) {
	rec := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, rec, nil)
	a.Data(app.Direction(7), []byte("H|\\^&\rL|1|N\r"), t0)
	a.Gap(app.Direction(7), 3)
	a.End(app.Direction(7))
	a.Expire()
	assert.Empty(t, rec.Msgs)
	assert.Empty(t, rec.Anoms)
}

// Regression (found by FuzzAnalyzer): a frame past MaxFrameBytes holding NAK
// and ETB bytes gave framing_error or not depending on where the segments were
// cut, because skipping restarted at the cut. It now skips to the frame's end.
func TestOversizeFrameSkippedAlikeInPieces(t *testing.T) {
	text := `H|\^&|||A` + "\rR|1|" + strings.Repeat("x", 80) + "\x15\x1a" + strings.Repeat("y", 80) + "\x17"
	data := []byte("\x021" + text + "\rL|1|N\r\x0345\r")
	cfg := &Config{MaxFrameBytes: 100}
	whole := run(t, cfg, data)
	assert.Equal(t, []string{ReasonFrameTooLarge}, whole.Reasons())
	for cut := 1; cut < len(data); cut++ {
		rec := &prototest.Recorder{}
		a := NewAnalyzer(testFlow, rec, cfg)
		a.Data(app.ClientToServer, data[:cut], t0)
		a.Data(app.ClientToServer, data[cut:], t0)
		a.Expire()
		require.Equal(t, whole.Anoms, rec.Anoms, "cut at %d", cut)
	}
}
