package astm

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
		{"empty", "", app.NeedMore},
		{"ENQ alone", "\x05", app.NeedMore},
		{"ENQ retried", "\x05\x05", app.NeedMore},
		{"ENQ then frame", "\x05" + frame('1', "H|\\^&\r", etx), app.Match},
		{"frame alone", frame('1', "P|1\r", etx), app.Match},
		{"ETB frame", frame('1', "M|1|blob", etb), app.Match},
		{"frame with bad checksum", "\x021P|1\r\x0300\r\n", app.NoMatch},
		{"frame cut before checksum", "\x021P|1\r\x03", app.NeedMore},
		{"frame starting with H, no end yet", "\x021H|\\^&|||cobas", app.Match},
		{"unnumbered frame with H", "\x02H|\\^&", app.Match},
		{"STX then EOT", "\x021P\x04", app.NoMatch},
		{"Tosoh block", "\x021120001 - 11\x03=\x02", app.NoMatch},
		{"raw header", "H|\\^&|||XN-550", app.Match},
		{"raw header after blank line", "\r\nH|`^&", app.Match},
		{"raw header doubled backslash", "H|\\\\^&", app.Match},
		{"raw header too short", "H|\\", app.NeedMore},
		{"HL7", "MSH|^~\\&|LAB", app.NoMatch},
		{"HTTP HEAD", "HEAD / HTTP/1.1", app.NoMatch},
		{"ACK only (receiver side)", "\x06", app.NoMatch},
		{"ENQ then text", "\x05HELLO", app.NoMatch},
		{"comment line", "# Minimum", app.NoMatch},
	})
}

func TestProbeLongFrameWithoutHeader(t *testing.T) {
	long := make([]byte, 0, 2048)
	long = append(long, stx, '1', 'R', '|')
	for len(long) < 2000 {
		long = append(long, 'x')
	}
	assert.Equal(t, app.NoMatch, Probe(long))
	assert.Equal(t, app.NeedMore, Probe(long[:500]))
}
