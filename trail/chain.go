package trail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"labwatch/detect"
)

// Head is the end of a chain: the last sequence number given and the hex
// SHA-256 of that alert's line ("" before the first alert).
type Head struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Chain seals alerts in delivery order. The zero value is a new chain. It is
// safe for concurrent use, but the order of Seal calls is the chain's order:
// call it where alerts are already serialised (the sensor's alert stage).
type Chain struct {
	mu   sync.Mutex
	head Head
	enc  lineEncoder
}

// Seal gives a its place in the chain (Seq, PrevHash) and makes the chain's
// head its line's hash. An alert JSON cannot encode is first made encodable
// (see the package doc), so that the sink writes the bytes that were hashed.
func (c *Chain) Seal(a *detect.Alert) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a.Seq = c.head.Seq + 1
	a.PrevHash = c.head.Hash
	c.head = Head{Seq: a.Seq, Hash: hashLine(c.enc.encode(a))}
}

// Head returns the chain's end, for saving with the learned state.
func (c *Chain) Head() Head {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.head
}

// Restore continues a chain from a saved head. The hash must be 64 hex digits,
// or empty with seq 0.
func (c *Chain) Restore(seq uint64, hash string) error {
	h := Head{Seq: seq, Hash: hash}
	if err := h.check(); err != nil {
		return err
	}
	c.mu.Lock()
	c.head = h
	c.mu.Unlock()
	return nil
}

// Resume continues from h if it is ahead of the chain's head (the alert file's
// last line after a crash that lost the latest saved head); it reports
// whether it did.
func (c *Chain) Resume(h Head) (bool, error) {
	if err := h.check(); err != nil {
		return false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if h.Seq <= c.head.Seq {
		return false, nil
	}
	c.head = h
	return true, nil
}

func (h Head) check() error {
	if h.Seq == 0 && h.Hash == "" {
		return nil
	}
	if h.Seq == 0 || !isHash(h.Hash) {
		return fmt.Errorf("%w: seq and hash do not form a chain head", ErrHead)
	}
	return nil
}

// Line returns the bytes the JSON-lines sink writes for a (without the
// newline), after making a encodable as Seal does. Tests and other sinks use
// it to check they write what the chain hashed.
func Line(a *detect.Alert) []byte {
	var enc lineEncoder
	return bytes.Clone(enc.encode(a))
}

// lineEncoder encodes alerts as output.JSONLines does: json.Encoder, HTML
// escaping off. It reuses one buffer.
type lineEncoder struct{ buf bytes.Buffer }

func (e *lineEncoder) encode(a *detect.Alert) []byte {
	for try := 0; ; try++ {
		e.buf.Reset()
		enc := json.NewEncoder(&e.buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(a); err == nil {
			return bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))
		}
		switch try {
		case 0:
			a.Details = map[string]any{"unencodable": "details"}
		case 1:
			a.TS = time.Time{}
		default:
			// Nothing else in an Alert can fail to encode; if it ever does,
			// hash an empty object rather than loop.
			e.buf.Reset()
			e.buf.WriteString("{}")
			return e.buf.Bytes()
		}
	}
}

func hashLine(line []byte) string {
	sum := sha256.Sum256(line)
	return hex.EncodeToString(sum[:])
}

func isHash(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
