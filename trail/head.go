package trail

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"labwatch/detect"
)

// headFile is the saved form of a chain head: a small JSON file beside the
// baseline.
type headFile struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Head
}

// maxHeadFileBytes caps what ReadHead reads: a head file is under 200 bytes.
const maxHeadFileBytes = 4096

// SaveHead writes the chain's head to path atomically.
func (c *Chain) SaveHead(path string) error { return WriteHead(path, c.Head()) }

// LoadHead continues the chain from the head saved in path. A missing file is
// a new chain (no error); a damaged one is an error wrapping ErrHead and
// leaves the chain as it was.
func (c *Chain) LoadHead(path string) error {
	h, err := ReadHead(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return c.Restore(h.Seq, h.Hash)
}

// WriteHead writes h to path atomically (temporary file, fsync, rename).
func WriteHead(path string, h Head) error {
	data, err := json.Marshal(headFile{Format: headFormat, Version: headVersion, Head: h})
	if err != nil {
		return fmt.Errorf("trail: encoding chain head: %w", err)
	}
	if err := detect.WriteFileAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("trail: saving chain head %s: %w", path, err)
	}
	return nil
}

// ReadHead reads a head saved by WriteHead. A missing file returns an error
// satisfying errors.Is(err, fs.ErrNotExist).
func ReadHead(path string) (Head, error) {
	f, err := os.Open(path)
	if err != nil {
		return Head{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxHeadFileBytes+1))
	if err != nil {
		return Head{}, fmt.Errorf("trail: reading chain head: %w", err)
	}
	if len(data) > maxHeadFileBytes {
		return Head{}, fmt.Errorf("%w: %s: too large", ErrHead, path)
	}
	var hf headFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&hf); err != nil || hf.Format != headFormat {
		return Head{}, fmt.Errorf("%w: %s: not a labwatch chain head", ErrHead, path)
	}
	if hf.Version != headVersion {
		return Head{}, fmt.Errorf("%w: %s: version %d, this build reads version %d", ErrHead, path, hf.Version, headVersion)
	}
	if err := hf.Head.check(); err != nil {
		return Head{}, fmt.Errorf("%w: %s", err, path)
	}
	return hf.Head, nil
}
