package trail_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"labwatch/trail"
)

// FuzzVerify feeds arbitrary files to Verify and TailHead: they must never
// panic, and never count more alerts than the file has lines.
func FuzzVerify(f *testing.F) {
	lines := chainLines(f, 6)
	f.Add(join(lines))
	f.Add(join(append(lines[:2:2], lines[3:]...)))
	f.Add([]byte("{\"seq\":1}\n{\"seq\":2,\"prev_hash\":\"00\"}\n"))
	f.Add([]byte("\n\n{"))
	if seeds, _ := filepath.Glob(filepath.Join("testdata", "*.jsonl")); len(seeds) > 0 {
		for _, s := range seeds {
			if data, err := os.ReadFile(s); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, brk := trail.Verify(bytes.NewReader(data))
		if n > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("%d alerts from %d lines", n, bytes.Count(data, []byte("\n"))+1)
		}
		if brk != nil && brk.Line < 1 {
			t.Fatalf("break without a line: %+v", brk)
		}
		_, _ = trail.VerifyHead(bytes.NewReader(data), trail.Head{Seq: 3})
		_, _ = trail.TailHead(bytes.NewReader(data))
	})
}
