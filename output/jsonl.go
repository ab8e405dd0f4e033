package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"labwatch/detect"
)

// JSONLines writes one alert per line to a file or to stdout ("-"). It is safe for
// concurrent use. Reopen (on SIGHUP) lets logrotate move the file away.
type JSONLines struct {
	mu   sync.Mutex
	path string
	f    *os.File
	w    *bufio.Writer
	enc  *json.Encoder
	err  error
}

// OpenJSONLines opens (appending) or creates path; "-" is stdout.
func OpenJSONLines(path string) (*JSONLines, error) {
	j := &JSONLines{path: path}
	if err := j.open(); err != nil {
		return nil, err
	}
	return j, nil
}

func (j *JSONLines) open() error {
	var f *os.File
	if j.path == "-" {
		f = os.Stdout
	} else {
		var err error
		f, err = os.OpenFile(j.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return fmt.Errorf("output: alerts file: %w", err)
		}
	}
	j.f = f
	j.w = bufio.NewWriterSize(f, 64<<10)
	j.enc = json.NewEncoder(j.w)
	j.enc.SetEscapeHTML(false)
	return nil
}

// Write appends one alert. Errors are kept and returned by Close; an alert sink
// must not stop the capture.
func (j *JSONLines) Write(a *detect.Alert) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.enc.Encode(a); err != nil && j.err == nil {
		j.err = err
	}
	if j.path == "-" {
		j.flush()
	}
}

func (j *JSONLines) flush() {
	if err := j.w.Flush(); err != nil && j.err == nil {
		j.err = err
	}
}

// Flush writes buffered alerts out.
func (j *JSONLines) Flush() {
	j.mu.Lock()
	j.flush()
	j.mu.Unlock()
}

// Reopen flushes and reopens the file under its name.
func (j *JSONLines) Reopen() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.flush()
	if j.path == "-" {
		return nil
	}
	_ = j.f.Close()
	return j.open()
}

// Close flushes and closes, returning the first write error met.
func (j *JSONLines) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.flush()
	if j.path != "-" {
		if err := j.f.Close(); err != nil && j.err == nil {
			j.err = err
		}
	}
	return j.err
}

var _ io.Closer = (*JSONLines)(nil)
