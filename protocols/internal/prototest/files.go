package prototest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// CorpusFiles lists the files of the shared corpus folder dir that match
// pattern, leaving out its SOURCES.md, or skips the test when there are none
// (the corpus is not part of the repository).
func CorpusFiles(t testing.TB, dir, pattern string) []string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, pattern))
	var out []string
	for _, f := range matches {
		if st, err := os.Stat(f); err == nil && !st.IsDir() && filepath.Base(f) != "SOURCES.md" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Skipf("corpus not present at %s", dir)
	}
	return out
}

// ReadCorpus reads one corpus file, or skips the test when it is absent.
func ReadCorpus(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Skipf("corpus file not available: %v", err)
	}
	return b
}

// ReadFile reads a file the test cannot do without.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
