// Package lockedbuf is a bytes.Buffer safe for concurrent writers, for tests
// that collect a logger's or a child process's output while reading it.
package lockedbuf

import (
	"bytes"
	"sync"
)

// Buffer collects writes from several goroutines.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
