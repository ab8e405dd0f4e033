package tls

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

type golden struct {
	File      string            `json:"file"`
	Encrypted bool              `json:"encrypted"`
	Messages  []goldenMessage   `json:"messages"`
	Anomalies []goldenAnomaly   `json:"anomalies"`
	Tshark    map[string]string `json:"tshark,omitempty"`
}

type goldenMessage struct {
	Dir     string            `json:"dir"`
	Type    string            `json:"type"`
	Version string            `json:"version,omitempty"`
	Attrs   map[string]string `json:"attrs,omitempty"`
	Counts  map[string]int    `json:"counts,omitempty"`
	Bytes   int               `json:"bytes"`
}

type goldenAnomaly struct {
	Dir    string `json:"dir"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	GaveUp bool   `json:"gave_up,omitempty"`
}

func toGolden(name string, rec *recorder, encrypted bool) golden {
	g := golden{File: name, Encrypted: encrypted, Messages: []goldenMessage{}, Anomalies: []goldenAnomaly{}}
	for _, m := range rec.msgs {
		g.Messages = append(g.Messages, goldenMessage{Dir: m.Dir.String(), Type: m.Type, Version: m.Version,
			Attrs: m.Attrs, Counts: m.Counts, Bytes: m.Bytes})
	}
	for _, a := range rec.anoms {
		g.Anomalies = append(g.Anomalies, goldenAnomaly{Dir: a.Dir.String(), Reason: a.Reason, Detail: a.Detail, GaveUp: a.GaveUp})
	}
	return g
}

// checkGolden compares got with testdata/golden/name.json, or rewrites it.
func checkGolden(t *testing.T, name string, got golden) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".json")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(got))
	if *update {
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -update")
	var w, g golden
	require.NoError(t, json.Unmarshal(want, &w))
	require.NoError(t, json.Unmarshal(buf.Bytes(), &g))
	assert.Equal(t, w, g, "golden %s differs; run go test -update after checking", path)
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
func ourView(rec *recorder) map[string]string {
	v := map[string]string{}
	for _, m := range rec.msgs {
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
			assert.Equal(t, want.types, strings.Join(rec.types(), ","))
			assert.Empty(t, rec.anoms)
			assert.True(t, flow.Encrypted)
			last := rec.msgs[len(rec.msgs)-1]
			if last.Type == TypeAlert {
				last = rec.msgs[0]
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
func assertSegmentationInvariant(t *testing.T, segs []segment, whole *recorder) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, uint64(len(segs))))
	cuts := []func(n int) []int{
		func(n int) []int {
			var c []int
			for k := 0; k < n; k += 1 + rng.IntN(40) {
				c = append(c, k)
			}
			return c
		},
		func(n int) []int {
			c := make([]int, n)
			for k := range c {
				c[k] = k
			}
			return c
		},
	}
	for _, cut := range cuts {
		got, _ := play(segs, nil, cut)
		assert.Equal(t, whole.msgs, fixFlows(got.msgs, whole.msgs))
		assert.Equal(t, whole.reasons(), got.reasons())
	}
}

// fixFlows points got's messages at want's flows so that equal content compares
// equal (each replay has its own flow).
func fixFlows(got, want []app.Message) []app.Message {
	for i := range got {
		if i < len(want) {
			got[i].Flow = want[i].Flow
		}
	}
	return got
}
