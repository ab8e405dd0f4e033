package tls

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// step is one analyzer call of a scripted conversation.
type step struct {
	dir  app.Direction
	data []byte
	gap  int // when data is nil: Gap(dir, gap)
}

func run(steps []step, cfg *Config) (*prototest.Recorder, *app.Flow) {
	rec := &prototest.Recorder{}
	flow := newFlow()
	a := NewAnalyzer(flow, rec, cfg)
	for _, s := range steps {
		if s.data == nil {
			a.Gap(s.dir, s.gap)
			continue
		}
		a.Data(s.dir, s.data, t0)
	}
	a.Expire()
	return rec, flow
}

var (
	c2s = app.ClientToServer
	s2c = app.ServerToClient
)

func clientHelloRecord() []byte {
	return records(recordHandshake, handshake(typeClientHello, clientHelloBody(chromeLike)), 1<<14)
}

func appData(n int) []byte {
	return records(recordApplicationData, bytes.Repeat([]byte{0xa5}, n), 1<<14)
}

func TestConversations(t *testing.T) {
	chRec := clientHelloRecord()
	shTLS12 := handshake(typeServerHello, serverHelloBody(versionTLS12, 0xc02f, 0, "h2"))
	cert := handshake(11, bytes.Repeat([]byte{0x30}, 900))
	hrr := serverHelloBody(versionTLS12, 0x1301, versionTLS13, "")
	copy(hrr[2:34], helloRetryRandom[:])
	weak := serverHelloBody(versionTLS10, 0x0005, 0, "")
	weak[2+32+1+2] = 1 // deflate
	garbage := make([]byte, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}

	tests := []struct {
		name    string
		steps   []step
		cfg     *Config
		types   string
		reasons string
		// lastOnly compares only the last anomaly's reason with reasons.
		lastOnly bool
		check    func(t *testing.T, rec *prototest.Recorder)
	}{
		{
			name: "hello split over records, server hello and certificate in one record",
			steps: []step{
				{dir: c2s, data: records(recordHandshake, handshake(typeClientHello, clientHelloBody(chromeLike)), 50)},
				{dir: s2c, data: records(recordHandshake, append(shTLS12, cert...), 1<<14)},
				{dir: s2c, data: []byte{recordChangeCipherSpec, 3, 3, 0, 1, 1}},
				{dir: s2c, data: records(recordHandshake, bytes.Repeat([]byte{0xee}, 40), 1<<14)}, // encrypted Finished
			},
			types: "client_hello,server_hello",
			check: func(t *testing.T, rec *prototest.Recorder) {
				assert.Equal(t, "t13d1516h2_8daaf6152771_e5627efa2ab1", rec.Msgs[0].Attrs[AttrJA4])
				assert.Equal(t, "lis.example.test", rec.Msgs[0].Attrs[AttrSNI])
				assert.Equal(t, "h2,http/1.1", rec.Msgs[0].Attrs[AttrALPN])
				assert.Equal(t, "tls1.2", rec.Msgs[1].Version)
				assert.Equal(t, "h2", rec.Msgs[1].Attrs[AttrALPN])
				assert.Equal(t, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", rec.Msgs[1].Attrs[AttrCipher])
			},
		},
		{
			name: "known gap inside application data keeps the walker in step",
			steps: []step{
				{dir: c2s, data: appData(1000)[:400]},
				{dir: c2s, gap: 300},
				{dir: c2s, data: appData(1000)[700:]},
				{dir: c2s, data: chRec},
			},
			types: "client_hello",
		},
		{
			name: "unknown gap resynchronises at the next record",
			steps: []step{
				{dir: c2s, data: appData(1000)[:400]},
				{dir: c2s, gap: -1},
				{dir: c2s, data: appData(1000)[700:]},
				{dir: c2s, data: chRec},
			},
			types:   "client_hello",
			reasons: "gap_resync",
		},
		{
			name: "mid-stream start",
			steps: []step{
				{dir: s2c, data: appData(3000)[1234:]},
				{dir: s2c, data: appData(200)},
				{dir: c2s, data: chRec},
			},
			types:   "client_hello",
			reasons: "not_tls",
		},
		{
			name:     "garbage gives up once",
			steps:    []step{{dir: c2s, data: garbage}, {dir: c2s, data: chRec}},
			reasons:  "gave_up",
			lastOnly: true,
			check: func(t *testing.T, rec *prototest.Recorder) {
				last := rec.Anoms[len(rec.Anoms)-1]
				assert.True(t, last.GaveUp)
				assert.Len(t, rec.Anoms, 9)
			},
		},
		{
			name:    "heartbeat claiming more than it carries",
			steps:   []step{{dir: c2s, data: chRec}, {dir: c2s, data: []byte{recordHeartbeat, 3, 2, 0, 3, 1, 0x40, 0x00}}},
			types:   "client_hello",
			reasons: "heartbeat_overread",
		},
		{
			name:    "hello over the cap",
			cfg:     &Config{MaxHelloBytes: 100},
			steps:   []step{{dir: c2s, data: chRec}},
			reasons: "hello_too_large",
		},
		{
			name:    "hello cut by the end of the flow",
			steps:   []step{{dir: c2s, data: chRec[:200]}},
			reasons: "truncated_hello",
		},
		{
			name:    "malformed hello",
			steps:   []step{{dir: c2s, data: records(recordHandshake, handshake(typeClientHello, []byte{3, 3, 0}), 1<<14)}},
			reasons: "bad_handshake",
		},
		{
			name:    "record over the cap",
			steps:   []step{{dir: c2s, data: []byte{recordApplicationData, 3, 3, 0xff, 0xff}}, {dir: c2s, data: chRec}},
			types:   "client_hello",
			reasons: "record_too_large",
		},
		{
			name: "hello retry request, then TLS 1.0 with RC4 and compression",
			steps: []step{
				{dir: s2c, data: records(recordHandshake, handshake(typeServerHello, hrr), 1<<14)},
				{dir: s2c, data: records(recordHandshake, handshake(typeServerHello, weak), 1<<14)},
			},
			types: "server_hello,server_hello",
			check: func(t *testing.T, rec *prototest.Recorder) {
				assert.Equal(t, 1, rec.Msgs[0].Counts[CountHelloRetry])
				assert.Equal(t, "tls1.3", rec.Msgs[0].Version)
				assert.Equal(t, "tls1.0", rec.Msgs[1].Attrs[AttrInsecure])
				assert.Equal(t, "rc4", rec.Msgs[1].Attrs[AttrWeakCipher])
				assert.Equal(t, 1, rec.Msgs[1].Counts[CountCompression])
			},
		},
		{
			name: "SSL 2.0 format hello from a legacy client, then a TLS 1.0 server hello",
			steps: []step{
				{dir: c2s, data: v2Hello(0x0301)},
				{dir: s2c, data: records(recordHandshake, handshake(typeServerHello, serverHelloBody(versionTLS10, 0x0035, 0, "")), 1<<14)},
			},
			types: "client_hello,server_hello",
			check: func(t *testing.T, rec *prototest.Recorder) {
				assert.Equal(t, "ssl2_hello", rec.Msgs[0].Attrs[AttrInsecure])
				assert.Equal(t, "tls1.0", rec.Msgs[0].Version)
				assert.Equal(t, 3, rec.Msgs[0].Counts[CountCiphers])
				assert.Equal(t, 1, rec.Msgs[0].Counts[CountSSL2Format])
				assert.Equal(t, "tls1.0", rec.Msgs[1].Attrs[AttrInsecure])
			},
		},
		{
			name:  "SSL 2.0 hello",
			steps: []step{{dir: c2s, data: v2Hello(0x0002)}},
			types: "client_hello",
			check: func(t *testing.T, rec *prototest.Recorder) { assert.Equal(t, "ssl2", rec.Msgs[0].Attrs[AttrInsecure]) },
		},
		{
			name:  "hostile server name is made printable",
			steps: []step{{dir: c2s, data: records(recordHandshake, handshake(typeClientHello, clientHelloBody(helloSpec{version: versionTLS12, ciphers: []uint16{0x2f}, extensions: []uint16{0}, sni: "a\r\nb c"})), 1<<14)}},
			types: "client_hello",
			check: func(t *testing.T, rec *prototest.Recorder) { assert.Equal(t, "a??b?c", rec.Msgs[0].Attrs[AttrSNI]) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, flow := run(tt.steps, tt.cfg)
			assert.Equal(t, tt.types, strings.Join(rec.Types(), ","))
			got := rec.Reasons()
			if tt.lastOnly && len(got) > 0 {
				got = got[len(got)-1:]
			}
			assert.Equal(t, tt.reasons, strings.Join(got, ","))
			assert.Equal(t, len(rec.Msgs) > 0 && rec.Msgs[0].Type != TypeAlert, flow.Encrypted)
			if tt.check != nil && len(rec.Msgs)+len(rec.Anoms) > 0 {
				tt.check(t, rec)
			}
		})
	}
}

// TestNoPatientValues plants fictional patient values in every place a TLS
// stream could carry them — application data, a garbage stream, a hello's
// opaque extensions — and requires that none reaches an emitted message,
// anomaly or error.
func TestNoPatientValues(t *testing.T) {
	planted := []string{"DOE^JANE", "MRN00042", "19700101", "555-0100", "123-45-6789", "ACC7788"}
	payload := []byte("PID|1||MRN00042||DOE^JANE||19700101|F|||1 Main St||555-0100|||||ACC7788|123-45-6789\r")
	body := clientHelloBody(chromeLike)
	steps := []step{
		{dir: c2s, data: records(recordHandshake, handshake(typeClientHello, body), 1<<14)},
		{dir: c2s, data: records(recordApplicationData, payload, 1<<14)},
		{dir: s2c, data: payload},
		{dir: s2c, data: records(recordHandshake, handshake(typeClientHello, payload), 1<<14)},
		{dir: c2s, data: records(recordAlert, payload, 1<<14)},
	}
	rec, _ := run(steps, nil)
	require.NotEmpty(t, rec.Msgs)
	require.NotEmpty(t, rec.Anoms)
	out := fmt.Sprintf("%+v %+v", rec.Msgs, rec.Anoms)
	var h ClientHello
	out += fmt.Sprint(ParseClientHello(payload, &h), ParseServerHello(payload, &ServerHello{}))
	for _, v := range planted {
		assert.NotContains(t, out, v)
	}
}

// v2Hello builds an SSL 2.0 format ClientHello:
// 80 2e | 01 | version | 00 09 00 00 00 20 | 00002f 000035 010080 | challenge
func v2Hello(version uint16) []byte {
	body := []byte{0, 9, 0, 0, 0, 32, 0x00, 0x00, 0x2f, 0x00, 0x00, 0x35, 0x01, 0x00, 0x80}
	body = append(body, bytes.Repeat([]byte{0x42}, 32)...)
	n := 3 + len(body)
	return append([]byte{0x80 | byte(n>>8), byte(n), 1, byte(version >> 8), byte(version)}, body...)
}
