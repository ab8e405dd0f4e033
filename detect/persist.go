package detect

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// A baseline file is gzip-compressed JSON: an envelope naming the format and
// its version, the SHA-256 of the body, and the body (a BaselineFile). A file
// that is truncated, altered or of another version is rejected whole.
const (
	baselineFormat  = "labwatch-baseline"
	baselineVersion = 2
	// oldestBaselineVersion is the oldest format this build still reads:
	// version 1 lacks software identities and insecure protocols, which a
	// version 2 body only adds.
	oldestBaselineVersion = 1
	// maxBaselineBytes caps what a loader decompresses (10,000 devices with full
	// profiles stay well below it).
	maxBaselineBytes = 1 << 30
)

type envelope struct {
	Format  string          `json:"format"`
	Version int             `json:"version"`
	SHA256  string          `json:"sha256"`
	Body    json.RawMessage `json:"baseline"`
}

// ErrBaseline is wrapped by every error about a baseline file's content.
var ErrBaseline = errors.New("detect: unusable baseline file")

// SaveBaseline writes what was learned to path atomically: a temporary file in
// the same directory, flushed to disk, then renamed over path.
// Every successful save, periodic or not, then calls the hook set with
// OnBaselineSaved.
func (e *Engine) SaveBaseline(path string) error {
	e.mu.Lock()
	bf := e.export()
	hook := e.afterSave
	e.mu.Unlock()
	data, err := encodeBaseline(bf)
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("detect: saving baseline %s: %w", path, err)
	}
	if hook != nil {
		return hook(path)
	}
	return nil
}

// OnBaselineSaved sets a function called (without the engine's lock) after
// each successful baseline save with the baseline's path: state kept beside
// the baseline, such as the alert chain's head (package trail), is saved with
// it. Its error is SaveBaseline's.
func (e *Engine) OnBaselineSaved(hook func(path string) error) {
	e.mu.Lock()
	e.afterSave = hook
	e.mu.Unlock()
}

func encodeBaseline(bf *BaselineFile) ([]byte, error) {
	body, err := json.Marshal(bf)
	if err != nil {
		return nil, fmt.Errorf("detect: encoding baseline: %w", err)
	}
	return wrapBody(body), nil
}

// wrapBody puts a JSON body in the versioned, checksummed, compressed envelope.
func wrapBody(body []byte) []byte { return wrapVersion(body, baselineVersion) }

func wrapVersion(body []byte, version int) []byte {
	sum := sha256.Sum256(body)
	// Marshal cannot fail: strings, an int and a RawMessage; a body that is not
	// valid JSON is written as is only by tests.
	env, err := json.Marshal(envelope{Format: baselineFormat, Version: version, SHA256: hex.EncodeToString(sum[:]), Body: body})
	if err != nil {
		env = []byte(`{"format":"` + baselineFormat + `","version":` + strconv.Itoa(version) + `,"sha256":"` + hex.EncodeToString(sum[:]) + `","baseline":` + string(body) + `}`)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(env)
	_ = zw.Close()
	return buf.Bytes()
}

// WriteFileAtomic replaces path with data so that a reader (or a crash) sees
// the old file or the new one, never a mix: a temporary file in the same
// directory, flushed to disk, renamed over path, then the directory flushed.
// The trail package saves its chain head with it.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// The rename is durable only once the directory is.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// LoadBaseline replaces the learned state with the one saved in path and
// remembers path for periodic saves. A missing file is a fresh start (no error);
// a corrupt file or one of another version is an error (wrapping ErrBaseline)
// and leaves the engine fresh. Call it before the first event.
func (e *Engine) LoadBaseline(path string) error {
	bf, err := ReadBaseline(path)
	if errors.Is(err, fs.ErrNotExist) {
		e.mu.Lock()
		e.baselinePath = path
		e.mu.Unlock()
		return nil
	}
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	m, err := bf.toModel(&e.cfg)
	if err != nil {
		return fmt.Errorf("%w: %s: %s", ErrBaseline, path, err)
	}
	e.m = m
	e.baselinePath = path
	return nil
}

// ReadBaseline reads and checks a baseline file (for `labwatch baseline show`).
func ReadBaseline(path string) (*BaselineFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	bf, err := DecodeBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s", ErrBaseline, path, err)
	}
	return bf, nil
}

// DecodeBaseline reads a baseline from r and checks its format, version and
// checksum. Errors say what is wrong, never what the file holds.
func DecodeBaseline(r io.Reader) (*BaselineFile, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, errors.New("not a gzip-compressed baseline")
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxBaselineBytes+1))
	if err != nil {
		return nil, errors.New("truncated or corrupt compressed data")
	}
	if len(raw) > maxBaselineBytes {
		return nil, errors.New("larger than the 1 GiB limit")
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, errors.New("envelope is not valid JSON")
	}
	if env.Format != baselineFormat {
		return nil, errors.New("not a labwatch baseline")
	}
	if env.Version < oldestBaselineVersion || env.Version > baselineVersion {
		return nil, fmt.Errorf("format version %d, this build reads versions %d to %d", env.Version, oldestBaselineVersion, baselineVersion)
	}
	sum := sha256.Sum256(env.Body)
	if hex.EncodeToString(sum[:]) != env.SHA256 {
		return nil, errors.New("checksum mismatch")
	}
	var bf BaselineFile
	dec := json.NewDecoder(bytes.NewReader(env.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&bf); err != nil {
		return nil, fmt.Errorf("body does not match the version %d layout", env.Version)
	}
	// Check the content as a load would, with the default caps.
	cfg := DefaultConfig()
	if _, err := bf.toModel(&cfg); err != nil {
		return nil, err
	}
	return &bf, nil
}
