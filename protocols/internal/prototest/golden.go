package prototest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Update is the -update flag of every protocol package's tests: rewrite the
// golden files (and the synthetic captures they come from) instead of
// comparing with them.
var Update = flag.Bool("update", false, "rewrite testdata/golden (and generated testdata/pcap)")

// MarshalGolden encodes v as golden files hold it: indented JSON ending in a
// newline, with <, > and & escaped as encoding/json does by default.
func MarshalGolden(t testing.TB, v any) []byte { return marshalGolden(t, v, true) }

// MarshalGoldenUnescaped is MarshalGolden leaving <, > and & as they are, for
// golden files that quote protocol text full of them.
func MarshalGoldenUnescaped(t testing.TB, v any) []byte { return marshalGolden(t, v, false) }

func marshalGolden(t testing.TB, v any, escapeHTML bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(v))
	return buf.Bytes()
}

// Golden returns the golden file at path decoded as T. Under -update it
// first writes got there, so the comparison the caller makes next checks the
// file just written.
func Golden[T any](t testing.TB, path string, got T) T {
	t.Helper()
	want, _ := GoldenBytes(t, path, MarshalGolden(t, got))
	return Decode[T](t, want)
}

// GoldenBytes returns the golden file at path, and out as it would be written
// there. Under -update it first writes out there.
func GoldenBytes(t testing.TB, path string, out []byte) (want, got []byte) {
	t.Helper()
	if *Update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, out, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file %s; run go test -update", path)
	return want, out
}

// Decode decodes JSON b as T, failing the test when it cannot.
func Decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(b, &v))
	return v
}

// AssertGolden compares got with the golden file at path, both decoded as T
// so that key order and spacing do not matter; under -update it first writes
// got there. Protocol text keeps its <, > and & as they are.
func AssertGolden[T any](t testing.TB, path string, got T) bool {
	t.Helper()
	want, out := GoldenBytes(t, path, MarshalGoldenUnescaped(t, got))
	return assert.Equal(t, Decode[T](t, want), Decode[T](t, out), "golden %s differs; run go test -update after checking", path)
}
