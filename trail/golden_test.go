package trail_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/trail"
)

var update = flag.Bool("update", false, "rewrite testdata/chain.jsonl")

// TestGoldenChainFile keeps a sealed alert file (made by the chain and the
// real sink, rewritten with -update) that must verify as it was written: a
// chain written by an older build stays verifiable. It also seeds the fuzz
// target.
func TestGoldenChainFile(t *testing.T) {
	path := filepath.Join("testdata", "chain.jsonl")
	if *update {
		require.NoError(t, os.WriteFile(path, join(chainLines(t, 8)), 0o644))
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to write it")
	n, brk := trail.Verify(bytes.NewReader(data))
	assert.Nil(t, brk)
	assert.Equal(t, 8, n)
	head, err := trail.TailHead(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, uint64(8), head.Seq)
	_, brk = trail.VerifyHead(bytes.NewReader(data), head)
	assert.Nil(t, brk)
}
