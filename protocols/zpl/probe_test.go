package zpl

import (
	"testing"

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
		{"blank", "\r\n", app.NeedMore},
		{"format start", "^XA^FO1,1", app.Match},
		{"lower case command", "^xa", app.NoMatch},
		{"BOM then format", "\xef\xbb\xbf^XA\r\n", app.Match},
		{"host query", "~HI\r\n", app.Match},
		{"caret only", "^", app.NeedMore},
		{"caret and letter", "^X", app.NeedMore},
		{"caret then space", "^ X", app.NoMatch},
		{"EPL job", "\nN\nq609\n", app.Match},
		{"EPL setup first", "q609\r\nQ203,26\r\nN\r\n", app.Match},
		{"EPL setup, N not yet", "q609\nQ203,26\n", app.NeedMore},
		{"EPL N cut", "N", app.NeedMore},
		{"HTTP", "GET / HTTP/1.1\r\nHost: x\r\n", app.NoMatch},
		{"HL7 MLLP", "\x0bMSH|^~\\&|", app.NoMatch},
		{"ASTM ENQ", "\x05", app.NoMatch},
		{"PJL", "\x1b%-12345X@PJL", app.NoMatch},
		{"word starting with N", "NOTICE\n", app.NoMatch},
		{"binary", "\x00\x01\x02\x03", app.NoMatch},
	})
}
