package tls

import (
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/internal/prototest"
)

type golden struct {
	File      string                    `json:"file"`
	Encrypted bool                      `json:"encrypted"`
	Messages  []goldenMessage           `json:"messages"`
	Anomalies []prototest.GoldenAnomaly `json:"anomalies"`
	Tshark    map[string]string         `json:"tshark,omitempty"`
}

type goldenMessage struct {
	Dir     string            `json:"dir"`
	Type    string            `json:"type"`
	Version string            `json:"version,omitempty"`
	Attrs   map[string]string `json:"attrs,omitempty"`
	Counts  map[string]int    `json:"counts,omitempty"`
	Bytes   int               `json:"bytes"`
}

func toGolden(name string, rec *prototest.Recorder, encrypted bool) golden {
	g := golden{File: name, Encrypted: encrypted, Messages: []goldenMessage{}}
	for _, m := range rec.Msgs {
		g.Messages = append(g.Messages, goldenMessage{Dir: m.Dir.String(), Type: m.Type, Version: m.Version,
			Attrs: m.Attrs, Counts: m.Counts, Bytes: m.Bytes})
	}
	g.Anomalies = prototest.GoldenAnomalies(rec.Anoms)
	return g
}

// checkGolden compares got with testdata/golden/name.json, or rewrites it.
func checkGolden(t *testing.T, name string, got golden) {
	t.Helper()
	prototest.AssertGolden(t, filepath.Join("testdata", "golden", name+".json"), got)
}

// tsharkView is what tshark reports for a capture: SNI, ALPN offered, JA3,
// JA3S, the chosen suite and alert descriptions, with our names for them.
func tsharkView(t *testing.T, path string) map[string]string {
	t.Helper()
	bin, err := exec.LookPath("tshark")
	if err != nil {
		return nil
	}
	out, err := exec.Command(bin, "-r", path, "-o", "tcp.analyze_sequence_numbers:TRUE", "-T", "fields",
		"-e", "tls.handshake.type", "-e", "tls.handshake.extensions_server_name", "-e", "tls.handshake.extensions_alpn_str",
		"-e", "tls.handshake.ciphersuite", "-e", "tls.handshake.ja3", "-e", "tls.handshake.ja3s",
		"-e", "tls.alert_message.desc").Output()
	require.NoError(t, err)
	v := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		for len(f) < 7 {
			f = append(f, "")
		}
		first, _, _ := strings.Cut(f[0], ",")
		switch first {
		case "1":
			v["sni"], v["alpn"], v["ja3"] = f[1], f[2], f[4]
		case "2":
			c, err := strconv.ParseUint(strings.TrimPrefix(f[3], "0x"), 16, 16)
			require.NoError(t, err)
			v["cipher"], v["ja3s"] = CipherName(uint16(c)), f[5]
		}
		if f[6] != "" {
			d, err := strconv.Atoi(f[6])
			require.NoError(t, err)
			v["alert"] = AlertName(uint8(d))
		}
	}
	for k, s := range v {
		if s == "" {
			delete(v, k)
		}
	}
	return v
}

// ourView is the same view from the analyzer's messages.
func ourView(rec *prototest.Recorder) map[string]string {
	v := map[string]string{}
	for _, m := range rec.Msgs {
		switch m.Type {
		case TypeClientHello:
			v["sni"], v["alpn"], v["ja3"] = m.Attrs[AttrSNI], m.Attrs[AttrALPN], m.Attrs[AttrJA3]
		case TypeServerHello:
			v["cipher"], v["ja3s"] = m.Attrs[AttrCipher], m.Attrs[AttrJA3S]
		case TypeAlert:
			v["alert"] = m.Attrs[AttrAlert]
		}
	}
	for k, s := range v {
		if s == "" {
			delete(v, k)
		}
	}
	return v
}

// pcapExpect states what each capture must yield, independently of golden files.
var pcapExpect = map[string]struct {
	types    string
	version  string // server_hello version, or client's when refused
	insecure bool
}{
	"openssl_tls13_sni_alpn": {"client_hello,server_hello", "tls1.3", false},
	"openssl_tls12_ecdhe":    {"client_hello,server_hello", "tls1.2", false},
	"openssl_tls10_legacy":   {"client_hello,server_hello", "tls1.0", true},
	"openssl_tls10_refused":  {"client_hello,alert", "tls1.0", true},
}

func TestGoldenPcaps(t *testing.T) {
	files, err := filepath.Glob("testdata/pcap/*.pcap")
	require.NoError(t, err)
	require.Len(t, files, len(pcapExpect))
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".pcap")
		t.Run(name, func(t *testing.T) {
			want, ok := pcapExpect[name]
			require.True(t, ok)
			segs := readPcap(t, path)
			rec, flow := play(segs, nil, nil)
			assert.Equal(t, want.types, strings.Join(rec.Types(), ","))
			assert.Empty(t, rec.Anoms)
			assert.True(t, flow.Encrypted)
			last := rec.Msgs[len(rec.Msgs)-1]
			if last.Type == TypeAlert {
				last = rec.Msgs[0]
			}
			assert.Equal(t, want.version, last.Version)
			assert.Equal(t, want.insecure, last.Attrs[AttrInsecure] != "")

			g := toGolden(filepath.Base(path), rec, flow.Encrypted)
			if ts := tsharkView(t, path); ts != nil {
				assert.Equal(t, ts, ourView(rec), "tshark disagrees")
				g.Tshark = ts
			}
			checkGolden(t, "pcap__"+name, g)
			assertSegmentationInvariant(t, segs, rec)
		})
	}
}

// assertSegmentationInvariant replays segs cut at random points, and byte by
// byte, and requires the same messages and anomalies.
func assertSegmentationInvariant(t *testing.T, segs []segment, whole *prototest.Recorder) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, uint64(len(segs))))
	for _, cut := range prototest.ReplayCuts(rng, 40) {
		got, _ := play(segs, nil, cut)
		prototest.AssertReplay(t, whole, got, prototest.SameFlow)
	}
}
