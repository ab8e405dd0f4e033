package tls

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromeLike is the ClientHello of the JA4 specification's worked example
// (FoxIO JA4.md): 15 suites and 16 extensions in wire order, h2 first, eight
// signature algorithms, with GREASE values added that every count must skip.
var chromeLike = helloSpec{
	version: versionTLS12,
	ciphers: []uint16{0x1a1a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
		0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035},
	extensions: []uint16{0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005,
		0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0xdada},
	sni:      "lis.example.test",
	alpn:     []string{"h2", "http/1.1"},
	groups:   []uint16{0x3a3a, 0x001d, 0x0017, 0x0018},
	formats:  []uint8{0},
	sigAlgs:  []uint16{0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601},
	versions: []uint16{0x7a7a, versionTLS13, versionTLS12},
}

func TestJA4SpecExample(t *testing.T) {
	var h ClientHello
	require.NoError(t, ParseClientHello(clientHelloBody(chromeLike), &h))
	assert.Equal(t, "t13d1516h2_8daaf6152771_e5627efa2ab1", JA4(&h))

	// Without signature algorithms the extension list is hashed alone.
	noSigs := chromeLike
	noSigs.extensions = []uint16{0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x0005,
		0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0x000d}
	noSigs.sigAlgs = nil
	require.NoError(t, ParseClientHello(clientHelloBody(noSigs), &h))
	assert.Equal(t, "t13d1516h2_8daaf6152771_6d807ffa2a79", JA4(&h))
}

// TestJA3AndJA4Published checks a browser hello whose JA3 text, JA3 hash and
// JA4 were published together by a fingerprinting service (browserleaks
// output kept in a public repository): extensions in wire order, X25519MLKEM768
// first among the groups.
func TestJA3AndJA4Published(t *testing.T) {
	spec := helloSpec{
		version: versionTLS12,
		ciphers: []uint16{0x0a0a, 4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156, 157, 47, 53},
		extensions: []uint16{0xfafa, 45, 51, 16, 65037, 23, 17613, 0, 11, 10, 43, 65281, 35, 18, 5, 13, 27,
			0x1a1a},
		sni:      "tls.browserleaks.com",
		alpn:     []string{"h2", "http/1.1"},
		groups:   []uint16{0x4a4a, 4588, 29, 23, 24},
		formats:  []uint8{0},
		sigAlgs:  []uint16{0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601},
		versions: []uint16{0x8a8a, versionTLS13, versionTLS12},
	}
	var h ClientHello
	require.NoError(t, ParseClientHello(clientHelloBody(spec), &h))
	text := JA3String(&h)
	assert.Equal(t, "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"+
		"45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0", text)
	assert.Equal(t, "98487aa16281980e7d1120d399efb6a4", MD5Hex(text))
	assert.Equal(t, "t13d1516h2_8daaf6152771_d8a2da3f94cd", JA4(&h))
}

func TestJA4Parts(t *testing.T) {
	tests := []struct {
		name string
		spec helloSpec
		want string // JA4_a, or the whole fingerprint when it has underscores
	}{
		{"no sni no alpn tls1.2", helloSpec{version: versionTLS12, ciphers: []uint16{0x002f}, extensions: []uint16{0x000d}, sigAlgs: []uint16{0x0401}}, "t12i010100"},
		{"alpn http/1.1", helloSpec{version: versionTLS12, ciphers: []uint16{0x002f}, extensions: []uint16{0x0010}, alpn: []string{"http/1.1"}}, "t12i0101h1"},
		{"alpn non-alphanumeric", helloSpec{version: versionTLS12, ciphers: []uint16{0x002f}, extensions: []uint16{0x0010}, alpn: []string{"\xab\x01"}}, "t12i0101a1"},
		{"ssl3 legacy", helloSpec{version: versionSSL30, ciphers: []uint16{0x000a}}, "ts3i0100"},
		{"no ciphers no extensions", helloSpec{version: versionTLS10}, "t10i000000_000000000000_000000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h ClientHello
			body := clientHelloBody(tt.spec)
			if len(tt.spec.extensions) == 0 {
				body = body[:len(body)-2] // no extension block at all
			}
			require.NoError(t, ParseClientHello(body, &h))
			got := JA4(&h)
			if len(tt.want) < len(got) {
				got = got[:len(tt.want)]
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestGREASE(t *testing.T) {
	for _, v := range []uint16{0x0a0a, 0x1a1a, 0xfafa} {
		assert.True(t, isGREASE(v), "%04x", v)
	}
	for _, v := range []uint16{0x0a1a, 0x0a0b, 0x1301, 0x0000} {
		assert.False(t, isGREASE(v), "%04x", v)
	}
}
