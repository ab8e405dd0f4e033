package pcapfile

import (
	"io"
	"sync/atomic"
)

// countingReader adds the bytes read from a file, before decompression, to a
// counter shared by all files, for Progress. It sees one call per read-ahead
// refill, not per packet.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
