package hl7

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

func TestProbe(t *testing.T) {
	prototest.CheckProbe(t, Probe, []struct {
		Name string
		In   string
		Want app.ProbeResult
	}{
		{"MLLP", "\x0bMSH|^~\\&|LIS|", app.Match},
		{"MLLP batch", "\x0bFHS|^~\\&|LIS|", app.Match},
		{"MLLP after padding", "\r\n\x0b\rMSH|^~\\&|", app.Match},
		{"raw", "MSH|^~\\&|LIS|LAB", app.Match},
		{"raw batch", "BHS|^~\\&|", app.Match},
		{"UTF-8 BOM", "\xef\xbb\xbfMSH|^~\\&|", app.Match},
		{"custom separators", "MSH^~|\\&^SENDING", app.Match},
		{"five encoding characters", "MSH|^~\\&#|", app.Match},
		{"UTF-16LE", "\xff\xfeM\x00S\x00H\x00|\x00^\x00~\x00\\\x00&\x00|\x00", app.Match},
		{"mid-stream MLLP", "OBX|1|NM|GLU||5\r\x1c\r\x0bMSH|^~\\&|A|", app.Match},
		{"mid-stream raw", "OBX|1|NM|GLU||5\rMSH|^~\\&|A|", app.Match},
		{"empty", "", app.NeedMore},
		{"start block only", "\x0b", app.NeedMore},
		{"partial header", "\x0bMS", app.NeedMore},
		{"partial separators", "MSH|^~", app.NeedMore},
		{"HTTP", "GET / HTTP/1.1\r\nHost: x\r\n", app.NoMatch},
		{"TLS", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", app.NoMatch},
		{"ASTM", "\x05\x021H|\\^&|||", app.NoMatch},
		{"MSH with a letter separator", "MSHH0\r", app.NoMatch},
		{"MSH with one encoding char", "MSH|^|||", app.NoMatch},
		{"MSH-2 too long", "MSH|#^~\\@#SendingApp#", app.NoMatch},
		{"PID first", "PID|1||X\r", app.NoMatch},
	})
}

func TestProbeCorpus(t *testing.T) {
	for _, name := range []string{"hl7v2rs__adt_a01_mllp_framed.hl7", "hapi__adt_a24_nonstandard_delimiters.hl7",
		"cdc__batch_fhs_bhs_5msgs_v251_lf.hl7", "hl7v2rs__ack_v251_utf16le_bom.hl7", "hapi__messages_mixed_with_comments.txt"} {
		assert.Equal(t, app.Match, Probe(readCorpus(t, name)), name)
	}
}

func TestProbeDoesNotAllocate(t *testing.T) {
	data := []byte("OBX|1|NM|GLU||5\r\x1c\r\x0bMSH|^~\\&|A|")
	assert.Zero(t, testing.AllocsPerRun(100, func() { Probe(data) }))
}
