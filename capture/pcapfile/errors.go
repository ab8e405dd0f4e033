package pcapfile

import (
	"errors"
	"fmt"
	"io/fs"
)

// Problem is a damaged input met while reading: the file stopped there and the
// merge went on with the others. Everything before Offset was delivered.
type Problem struct {
	File string // the path as given to Open, or "stdin"
	// Offset is where the bad record or block starts, counted in the
	// uncompressed capture (the same as the file offset unless it is gzipped).
	Offset int64
	Code   string // one of the Code constants, for counting by reason
	Reason string // what is wrong, in numbers and kinds, never packet contents
}

// Problem codes: a fixed set, fit for a metric label or a summary key.
const (
	CodeTruncated = "truncated"  // the file or compressed stream ends inside a record
	CodeReadError = "read_error" // the operating system or gzip failed (bad checksum)
	CodeOverLimit = "over_limit" // a length above MaxPacketBytes, MaxBlockBytes, MaxOptionBytes or MaxInterfaces
	CodeBadLength = "bad_length" // lengths that contradict each other or their block
	CodeBadHeader = "bad_header" // a section header that cannot start a section
	CodeRejected  = "rejected"   // pcapgo refused a well-framed block
)

func (p Problem) String() string {
	return fmt.Sprintf("pcapfile: %s: offset %d: %s", p.File, p.Offset, p.Reason)
}

// OpenError is returned by Open when a file cannot be opened or does not start
// like a capture. It unwraps to the operating-system error where there is one,
// so errors.Is(err, fs.ErrNotExist) works.
type OpenError struct {
	File   string
	Reason string
	Err    error
}

func (e *OpenError) Error() string { return "pcapfile: " + e.File + ": " + e.Reason }

func (e *OpenError) Unwrap() error { return e.Err }

// openFailure names plainly why the operating system refused a file; the raw
// error repeats the path, so it is kept for errors.Is but not printed.
func openFailure(file string, err error) *OpenError {
	reason := "cannot open: " + err.Error()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		reason = "no such file"
	case errors.Is(err, fs.ErrPermission):
		reason = "permission denied"
	}
	return &OpenError{File: file, Reason: reason, Err: err}
}

// errStopped is what the framer hands pcapgo once it has recorded a problem;
// the source reads the reason from the framer, since pcapgo may rewrap errors.
var errStopped = errors.New("pcapfile: input stopped")
