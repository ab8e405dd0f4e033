package tls

import (
	"encoding/binary"
	"os"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var t0 = time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC)

func newFlow() *app.Flow { return &app.Flow{ID: 1, Transport: app.TCP} }

// segment is one piece of a conversation.
type segment struct {
	dir  app.Direction
	data []byte
	ts   time.Time
}

// readPcap returns the TCP payloads of a one-connection capture in capture
// order, with the SYN sender (else the first sender) as client. Loopback
// captures are in order and lossless, so no reassembly is needed.
func readPcap(t testing.TB, path string) []segment {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []segment
	var client layers.TCPPort
	for {
		data, ci, err := r.ReadPacketData()
		if err != nil {
			break
		}
		p := gopacket.NewPacket(data, r.LinkType(), gopacket.Default)
		tcp, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if !ok {
			continue
		}
		if client == 0 && (tcp.SYN && !tcp.ACK || len(tcp.Payload) > 0) {
			client = tcp.SrcPort
		}
		if len(tcp.Payload) == 0 {
			continue
		}
		dir := app.ClientToServer
		if tcp.SrcPort != client {
			dir = app.ServerToClient
		}
		out = append(out, segment{dir: dir, data: append([]byte(nil), tcp.Payload...), ts: ci.Timestamp})
	}
	return out
}

// play feeds segments to a new analyzer, each cut at the offsets cut returns
// (nil: whole), then expires the flow.
func play(segs []segment, cfg *Config, cut prototest.Cut) (*prototest.Recorder, *app.Flow) {
	rec := &prototest.Recorder{}
	flow := newFlow()
	a := NewAnalyzer(flow, rec, cfg)
	for _, s := range segs {
		prototest.FeedCut(s.data, cut, func(b []byte) { a.Data(s.dir, b, s.ts) })
	}
	a.Expire()
	return rec, flow
}

// helloSpec describes a ClientHello for the builder. Extension data is
// generated for the types the parser reads; other extensions are empty.
type helloSpec struct {
	version    uint16
	ciphers    []uint16
	extensions []uint16
	sni        string
	alpn       []string
	groups     []uint16
	formats    []uint8
	sigAlgs    []uint16
	versions   []uint16
}

func u16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }

func vec16(b, body []byte) []byte { return append(u16(b, uint16(len(body))), body...) }

func u16list(vs []uint16) []byte {
	var b []byte
	for _, v := range vs {
		b = u16(b, v)
	}
	return b
}

// clientHelloBody builds the handshake body of a ClientHello.
func clientHelloBody(s helloSpec) []byte {
	b := u16(nil, s.version)
	b = append(b, make([]byte, 32)...) // random
	b = append(b, 0)                   // empty session id
	b = vec16(b, u16list(s.ciphers))
	b = append(b, 1, 0) // null compression
	var exts []byte
	for _, e := range s.extensions {
		var data []byte
		switch e {
		case extServerName:
			name := append([]byte{0}, vec16(nil, []byte(s.sni))...)
			data = vec16(nil, name)
		case extALPN:
			var list []byte
			for _, p := range s.alpn {
				list = append(append(list, byte(len(p))), p...)
			}
			data = vec16(nil, list)
		case extSupportedGroups:
			data = vec16(nil, u16list(s.groups))
		case extECPointFormats:
			data = append([]byte{byte(len(s.formats))}, s.formats...)
		case extSignatureAlgorithms:
			data = vec16(nil, u16list(s.sigAlgs))
		case extSupportedVersions:
			l := u16list(s.versions)
			data = append([]byte{byte(len(l))}, l...)
		}
		exts = vec16(u16(exts, e), data)
	}
	return vec16(b, exts)
}

// handshake wraps a body in a handshake header.
func handshake(typ uint8, body []byte) []byte {
	return append([]byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
}

// records wraps a fragment in records of at most size bytes each.
func records(typ uint8, fragment []byte, size int) []byte {
	var out []byte
	for len(fragment) > 0 {
		n := min(size, len(fragment))
		out = append(out, typ, 3, 1, byte(n>>8), byte(n))
		out = append(out, fragment[:n]...)
		fragment = fragment[n:]
	}
	return out
}

// serverHelloBody builds a ServerHello body with optional supported_versions
// and ALPN extensions.
func serverHelloBody(version, cipher, selected uint16, alpn string) []byte {
	b := u16(nil, version)
	b = append(b, make([]byte, 32)...)
	b = append(b, 0)
	b = u16(b, cipher)
	b = append(b, 0)
	var exts []byte
	if selected != 0 {
		exts = vec16(u16(exts, extSupportedVersions), u16(nil, selected))
	}
	if alpn != "" {
		p := append([]byte{byte(len(alpn))}, alpn...)
		exts = vec16(u16(exts, extALPN), vec16(nil, p))
	}
	return vec16(b, exts)
}
