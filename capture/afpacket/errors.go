package afpacket

import (
	"errors"
	"fmt"
)

var (
	// ErrTimeout is returned by Next when no packet arrived within the poll
	// timeout; the caller advances its clock on idle links.
	ErrTimeout = errors.New("afpacket: read timeout")
	// ErrClosed is returned by Next once the group is closed.
	ErrClosed = errors.New("afpacket: capture closed")
	// ErrInterfaceDown is returned (wrapped) by Next and Open when the
	// interface went away or is down: close the group and open it again later.
	ErrInterfaceDown = errors.New("afpacket: interface down or gone")
	// ErrUnsupported is returned by Open where AF_PACKET TPACKET_V3 is not
	// available (not Linux, or a kernel without it): use libpcap instead.
	ErrUnsupported = errors.New("afpacket: AF_PACKET TPACKET_V3 not available")
)

// kindError is a sentence saying what to do that still matches its sentinel
// with errors.Is, without repeating the sentinel's text.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }

// errorf formats a message that errors.Is matches to kind.
func errorf(kind error, format string, args ...any) error {
	return &kindError{msg: fmt.Sprintf(format, args...), kind: kind}
}
