package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"labwatch/detect"
)

// Caps of the alert file's buffer. Alerts are written in whole lines: a write
// the disk refuses (full, read-only) leaves them in the buffer to retry, up to
// jsonlPendingMax; beyond it new alerts are dropped and counted.
const (
	jsonlFlushBytes = 64 << 10
	jsonlFlushAge   = time.Second
	jsonlPendingMax = 1 << 20
)

// JSONLines writes one alert per line to a file or to stdout ("-"). It is safe for
// concurrent use. Reopen (on SIGHUP) lets logrotate move the file away.
//
// A disk that refuses writes never stops the sensor and never leaves half a
// line followed by more alerts: a partial write is cut back to the last whole
// line (or, where the file cannot be cut, the next write starts on a new line
// so that the torn one stands alone and `labwatch verify` names it). Refusals
// are logged once per episode (SetLogger) and counted in Stats.
type JSONLines struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	line    bytes.Buffer // one encoded alert
	enc     *json.Encoder
	pending []byte    // whole lines not yet written
	lines   int       // alerts in pending
	since   time.Time // when pending got its oldest line
	torn    bool      // the file ends in a cut line that could not be removed
	failing bool      // the last write failed: retry at most every jsonlFlushAge
	err     error
	log     zerolog.Logger
	fault   diskFault
	stats   OutputStats
	stop    chan struct{} // ends the background flusher
	done    chan struct{}
}

// OpenJSONLines opens (appending) or creates path; "-" is stdout.
func OpenJSONLines(path string) (*JSONLines, error) {
	j := &JSONLines{path: path, log: zerolog.Nop()}
	j.enc = json.NewEncoder(&j.line)
	j.enc.SetEscapeHTML(false)
	if err := j.open(); err != nil {
		return nil, err
	}
	j.stop, j.done = make(chan struct{}), make(chan struct{})
	go j.flushIdle()
	return j, nil
}

// flushIdle writes out what waits once it is jsonlFlushAge old even when no
// further alert comes: on a quiet network the last alert must not sit in
// memory until the next one.
func (j *JSONLines) flushIdle() {
	defer close(j.done)
	t := time.NewTicker(jsonlFlushAge)
	defer t.Stop()
	for {
		select {
		case <-j.stop:
			return
		case <-t.C:
			j.mu.Lock()
			if j.lines > 0 && j.due() {
				j.flush()
			}
			j.mu.Unlock()
		}
	}
}

// SetLogger sets where write failures are logged (once per episode).
func (j *JSONLines) SetLogger(log zerolog.Logger) {
	j.mu.Lock()
	j.log = log.With().Str("output", "alerts_file").Logger()
	j.mu.Unlock()
}

// Stats are the file's counters: Sent counts alerts written, Dropped those
// lost (DiskDropped of them refused by the disk).
func (j *JSONLines) Stats() *OutputStats { return &j.stats }

func (j *JSONLines) open() error {
	if j.path == "-" {
		j.f = os.Stdout
		return nil
	}
	f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("output: alerts file: %w", err)
	}
	j.f = f
	j.torn = endsTorn(j.path)
	return nil
}

// endsTorn tells whether the file at path ends in a line without its newline
// (an earlier run stopped mid-write): the next alert must not be glued to it.
func endsTorn(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() == 0 {
		return false
	}
	var last [1]byte
	_, err = f.ReadAt(last[:], info.Size()-1)
	return err == nil && last[0] != '\n'
}

// Write appends one alert. Errors are kept and returned by Close; an alert sink
// must not stop the capture.
func (j *JSONLines) Write(a *detect.Alert) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.line.Reset()
	if err := j.enc.Encode(a); err != nil {
		j.keep(err)
		j.stats.Dropped.Add(1)
		return
	}
	// The cap holds whatever waits besides this line: one line alone is
	// always taken (an alert is far smaller than the cap anyway).
	full := func() bool { return len(j.pending) > 0 && len(j.pending)+j.line.Len() > jsonlPendingMax }
	if full() {
		j.flush() // retry before dropping: the disk may have room again
	}
	if full() {
		j.fault.failed(j.log, "alerts file write", j.err, 1)
		j.stats.Dropped.Add(1)
		j.stats.DiskDropped.Add(1)
		return
	}
	if len(j.pending) == 0 {
		j.since = time.Now()
	}
	j.pending = append(j.pending, j.line.Bytes()...)
	j.lines++
	if j.due() {
		j.flush()
	}
}

// due tells Write to flush: at once on stdout, else at jsonlFlushBytes or
// when the oldest line waited jsonlFlushAge; a refusing disk is retried once
// per jsonlFlushAge (or when the buffer is full), not on every alert.
func (j *JSONLines) due() bool {
	if j.failing {
		return time.Since(j.since) >= jsonlFlushAge
	}
	return j.path == "-" || len(j.pending) >= jsonlFlushBytes || time.Since(j.since) >= jsonlFlushAge
}

// flush writes the pending lines. What the disk refuses stays pending, in
// whole lines; a partial line is cut from the file again.
func (j *JSONLines) flush() {
	if len(j.pending) == 0 {
		return
	}
	if j.torn {
		if _, err := j.f.Write([]byte{'\n'}); err != nil {
			j.failed(err)
			return
		}
		j.torn = false
	}
	n, err := j.f.Write(j.pending)
	whole := bytes.LastIndexByte(j.pending[:n], '\n') + 1
	if cut := n - whole; cut > 0 {
		j.torn = j.cutTail(int64(cut)) != nil
	}
	done := bytes.Count(j.pending[:whole], []byte{'\n'})
	j.stats.Sent.Add(uint64(done))
	j.lines -= done
	j.pending = j.pending[:copy(j.pending, j.pending[whole:])]
	j.since = time.Now()
	if err != nil {
		j.failed(err)
		return
	}
	j.failing = false
	j.fault.ok(j.log, "alerts file write")
}

// cutTail removes the last n bytes written: half a line the disk cut short.
func (j *JSONLines) cutTail(n int64) error {
	end, err := j.f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	return j.f.Truncate(max(end-n, 0))
}

func (j *JSONLines) failed(err error) {
	err = fmt.Errorf("output: alerts file: %w", err) // the *PathError names the file
	j.failing = true
	j.since = time.Now()
	j.keep(err)
	j.fault.failed(j.log, "alerts file write", err, 0)
}

func (j *JSONLines) keep(err error) {
	if j.err == nil {
		j.err = err
	}
}

// Flush writes buffered alerts out.
func (j *JSONLines) Flush() {
	j.mu.Lock()
	j.flush()
	j.mu.Unlock()
}

// Reopen flushes and reopens the file under its name. Alerts the old file
// refused go to the new one.
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

// Close flushes and closes, returning the first write error met. Alerts the
// disk still refuses are dropped and counted.
func (j *JSONLines) Close() error {
	if j.stop != nil {
		close(j.stop)
		<-j.done
		j.stop = nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.flush()
	if j.lines > 0 {
		j.stats.Dropped.Add(uint64(j.lines))
		j.stats.DiskDropped.Add(uint64(j.lines))
		j.fault.failed(j.log, "alerts file write", j.err, j.lines)
		j.pending, j.lines = nil, 0
	}
	if j.path != "-" {
		if err := j.f.Close(); err != nil {
			j.keep(err)
		}
	}
	return j.err
}

var _ io.Closer = (*JSONLines)(nil)
