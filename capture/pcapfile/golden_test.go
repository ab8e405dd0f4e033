package pcapfile

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "regenerate testdata/pcap and rewrite testdata/golden")

// syntheticCaptures is the generator of testdata/pcap: run `go test -update`
// to rewrite the files. Each is small and made of synthetic bytes only.
func syntheticCaptures(t *testing.T) map[string][]byte {
	le := binary.LittleEndian
	pkts := makePackets(40, t0, 1250*time.Microsecond, 0x10)
	twoIfaces := makePackets(30, t0, 333*time.Microsecond, 0x20)
	for i := range twoIfaces {
		twoIfaces[i].iface = i % 3 % 2
	}
	zero := makePackets(8, t0, time.Millisecond, 0x30)
	for i := range zero {
		if i%3 == 0 {
			zero[i].data = nil
		}
	}
	truncated := pcapgoBytes(t, false, layers.LinkTypeEthernet, pkts)
	truncated = truncated[:pcapOffset(pkts[:25])+20]

	var badBlock ngBuilder
	badBlock.section().iface(layers.LinkTypeEthernet, 65535)
	for _, p := range pkts[:12] {
		badBlock.enhanced(0, p.ts, p.data)
	}
	badBlock.Write(append(le32(blockEnhanced), le32(46)...)) // 46 is not a multiple of 4
	badBlock.Write(make([]byte, 38))

	return map[string][]byte{
		"le_micro_ethernet.pcap":  pcapgoBytes(t, false, layers.LinkTypeEthernet, pkts),
		"be_nano_raw.pcap":        pcapBytes(binary.BigEndian, true, layers.LinkTypeRaw, 262144, pkts),
		"two_interfaces.pcapng":   pcapngBytes(t, []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL}, twoIfaces),
		"gzipped.pcapng.gz":       gzipBytes(t, pcapngBytes(t, []layers.LinkType{layers.LinkTypeNull}, pkts)),
		"zero_length.pcap":        pcapBytes(le, false, layers.LinkTypeEthernet, 65535, zero),
		"truncated.pcap":          truncated,
		"bad_block_length.pcapng": badBlock.Bytes(),
	}
}

// golden is what a capture must read as: counts and chosen fields.
type golden struct {
	Packets   int             `json:"packets"`
	Bytes     int             `json:"bytes"`
	LinkTypes map[string]int  `json:"link_types"`
	First     string          `json:"first,omitempty"`
	Last      string          `json:"last,omitempty"`
	Problems  []goldenProblem `json:"problems"`
	Checksum  uint32          `json:"checksum"` // sum of all packet bytes
}

type goldenProblem struct {
	Offset int64  `json:"offset"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

func summarize(res readResult) golden {
	g := golden{LinkTypes: map[string]int{}, Problems: []goldenProblem{}}
	for i, p := range res.packets {
		g.Packets++
		g.Bytes += len(p.Data)
		g.LinkTypes[p.Link.String()]++
		for _, c := range p.Data {
			g.Checksum += uint32(c)
		}
		if i == 0 {
			g.First = p.TS.UTC().Format(time.RFC3339Nano)
		}
		g.Last = p.TS.UTC().Format(time.RFC3339Nano)
	}
	for _, pr := range res.problems {
		g.Problems = append(g.Problems, goldenProblem{pr.Offset, pr.Code, pr.Reason})
	}
	return g
}

func TestGolden(t *testing.T) {
	t.Setenv("TZ", "UTC")
	captures := filepath.Join("testdata", "pcap")
	if *update {
		require.NoError(t, os.MkdirAll(captures, 0o755))
		for name, data := range syntheticCaptures(t) {
			require.NoError(t, os.WriteFile(filepath.Join(captures, name), data, 0o644))
		}
	}
	entries, err := os.ReadDir(captures)
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			got := summarize(readAll(t, filepath.Join(captures, e.Name())))
			path := filepath.Join("testdata", "golden", strings.ReplaceAll(e.Name(), ".", "_")+".json")
			if *update {
				out, err := json.MarshalIndent(got, "", "  ")
				require.NoError(t, err)
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, append(out, '\n'), 0o644))
				return
			}
			raw, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create it")
			var want golden
			require.NoError(t, json.Unmarshal(raw, &want))
			assert.Equal(t, want, got)
		})
	}
}
