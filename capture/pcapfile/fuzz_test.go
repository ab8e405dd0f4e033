package pcapfile

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/require"
)

// fixedAllocBudget covers what opening one input may allocate whatever its
// content: read-ahead buffers, decompressor state, pcapgo's packet and option
// buffers. Beyond it, allocation may only grow with the bytes actually read
// (pcapgo copies comments into strings), never with a length field.
const (
	fixedAllocBudget = 3 << 20
	allocPerByteRead = 4
)

// chunkReader hands its data out in random-sized pieces, so the framing is
// exercised at every possible read boundary.
type chunkReader struct {
	data []byte
	rng  *rand.Rand
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1 + c.rng.IntN(min(len(p), len(c.data)))
	n = copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func FuzzReader(f *testing.F) {
	for _, path := range append(fuzzSeedFiles(f), corpusSeedFiles()...) {
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		f.Add(data, uint64(1))
	}
	f.Add(gzipBytes(f, pcapngBytes(f, []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeRaw},
		makePackets(5, t0, time.Millisecond, 1))), uint64(7))
	f.Add([]byte{}, uint64(0))

	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		checkAllocBound(t, data)

		whole, errWhole := readBytes(t, bytes.NewReader(data))
		// The same bytes in random pieces read the same.
		pieces, errPieces := readBytes(t, &chunkReader{data: data, rng: rand.New(rand.NewPCG(seed, seed>>1))})
		require.Equal(t, errWhole, errPieces)
		require.Equal(t, len(whole.packets), len(pieces.packets))
		require.Equal(t, whole.problems, pieces.problems)
		for i := range whole.packets {
			require.Equal(t, whole.packets[i], pieces.packets[i])
		}
	})
}

// checkAllocBound reads data without keeping anything and checks what the
// reader allocated against the budget.
func checkAllocBound(t *testing.T, data []byte) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var consumed int64
	if r, err := openBytes(bytes.NewReader(data)); err == nil {
		var p Packet
		for r.Next(&p) == nil {
		}
		for _, s := range r.sources {
			consumed += s.fr.offset
		}
	}
	runtime.ReadMemStats(&after)
	allocated := int64(after.TotalAlloc - before.TotalAlloc)
	if budget := fixedAllocBudget + allocPerByteRead*(int64(len(data))+consumed); allocated > budget {
		t.Fatalf("allocated %d bytes for a %d-byte input (%d bytes after decompression); budget %d",
			allocated, len(data), consumed, budget)
	}
}

func fuzzSeedFiles(f *testing.F) []string {
	paths, err := filepath.Glob(filepath.Join("testdata", "pcap", "*"))
	require.NoError(f, err)
	return paths
}

func corpusSeedFiles() []string {
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.pcap*"))
	return paths
}
