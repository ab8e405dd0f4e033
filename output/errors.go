package output

import "errors"

// Sentinel errors. They never carry alert content: an alert may hold values an
// operator typed into a rule, and errors end up in logs.
var (
	ErrUnknownFormat = errors.New("output: unknown syslog format")
	ErrBadURL        = errors.New("output: syslog URL must be udp://, tcp:// or tls:// host:port")
	ErrTooLarge      = errors.New("output: alert does not fit the message size limit")
	ErrClosed        = errors.New("output: sink closed")
	ErrQueueLocked   = errors.New("output: queue file is used by another process")
	ErrTLSConfig     = errors.New("output: TLS settings")
)

// Drop reasons, the label values of the dropped counter's log line.
const (
	DropQueueFull  = "queue_full"  // on-disk queue at QueueMaxBytes
	DropBufferFull = "buffer_full" // in-memory hand-off to the disk writer full
	DropFormat     = "format"      // the alert could not be rendered within MaxMessageBytes
	DropClosed     = "closed"      // Write after Close
	DropDisk       = "disk_error"  // the queue store refused the write
)

var errPeerClosed = errors.New("output: receiver closed the connection")
