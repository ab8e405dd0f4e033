package tls

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"labwatch/protocols/app"
)

func TestProbe(t *testing.T) {
	ch := clientHelloRecord()
	tests := []struct {
		name string
		in   []byte
		want app.ProbeResult
	}{
		{"empty", nil, app.NeedMore},
		{"client hello", ch, app.Match},
		{"client hello first 6 bytes", ch[:6], app.Match},
		{"client hello first 3 bytes", ch[:3], app.NeedMore},
		{"server hello", records(recordHandshake, handshake(typeServerHello, serverHelloBody(versionTLS12, 0x2f, 0, "")), 1<<14), app.Match},
		{"http", []byte("GET / HTTP/1.1\r\n"), app.NoMatch},
		{"application data first", appData(10), app.NoMatch},
		{"handshake of another type", records(recordHandshake, handshake(11, []byte{1, 2}), 1<<14), app.NoMatch},
		{"bad version", []byte{22, 3, 9, 0, 10, 1}, app.NoMatch},
		{"hl7 mllp", []byte("\x0bMSH|^~\\&|"), app.NoMatch},
		{"zero length", []byte{22, 3, 1, 0, 0, 1}, app.NoMatch},
		{"ssl2 format hello", v2Hello(0x0301), app.Match},
		{"ssl2 format, 4 bytes", v2Hello(0x0002)[:4], app.NeedMore},
		{"high bit but not a hello", []byte{0x80, 0x2e, 4, 3, 1}, app.NoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, Probe(tt.in)) })
	}
}
