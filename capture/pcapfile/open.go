package pcapfile

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/gopacket/gopacket/pcapgo"
)

// stdinName is how standard input ("-") is named in errors and problems.
const stdinName = "stdin"

type format uint8

const (
	formatPcap format = iota + 1
	formatPcapng
)

// openSource opens one input and reads its header. size is -1 when the input's
// size is unknown.
func openSource(path string, index int, counter *atomic.Int64) (*source, int64, error) {
	s := &source{name: path, index: index}
	in, size, err := s.openInput(path)
	if err != nil {
		return nil, 0, err
	}
	if err := s.start(in, counter); err != nil {
		_ = s.close()
		return nil, 0, err
	}
	return s, size, nil
}

// start unwraps gzip, recognises the format by its magic number and reads the
// file header from in, counting consumed bytes into counter.
func (s *source) start(in io.Reader, counter *atomic.Int64) error {
	stream, head, err := s.unwrap(bufio.NewReaderSize(&countingReader{r: in, n: counter}, readBufferSize))
	if err != nil {
		return err
	}
	kind, order, reason := detect(head)
	if kind == 0 {
		return &OpenError{File: s.name, Reason: reason}
	}
	return s.readHeader(stream, kind, order)
}

// openInput opens the file, or takes standard input for "-".
func (s *source) openInput(path string) (io.Reader, int64, error) {
	if path == "-" {
		s.name = stdinName
		return os.Stdin, -1, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, openFailure(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, 0, openFailure(path, err)
	}
	if st.IsDir() {
		_ = f.Close()
		return nil, 0, &OpenError{File: path, Reason: "is a directory, not a capture file"}
	}
	s.file = f
	if !st.Mode().IsRegular() { // a pipe or device: size unknown
		return f, -1, nil
	}
	return f, st.Size(), nil
}

// unwrap peeks at the first bytes and, if they are gzip's magic, puts a
// decompressor in between. It returns the stream to frame and its first four bytes.
func (s *source) unwrap(br *bufio.Reader) (*bufio.Reader, []byte, error) {
	head, err := s.peekMagic(br, "")
	if err != nil {
		return nil, nil, err
	}
	if head[0] != 0x1f || head[1] != 0x8b {
		return br, head, nil
	}
	zr, err := gzip.NewReader(br)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return nil, nil, &OpenError{File: s.name, Reason: "gzip header cut short"}
	}
	if err != nil {
		return nil, nil, &OpenError{File: s.name, Reason: "bad gzip header: " + err.Error(), Err: err}
	}
	inner := bufio.NewReaderSize(zr, readBufferSize)
	head, err = s.peekMagic(inner, " after gzip decompression")
	if err != nil {
		return nil, nil, err
	}
	return inner, head, nil
}

func (s *source) peekMagic(br *bufio.Reader, where string) ([]byte, error) {
	head, err := br.Peek(4)
	switch {
	case len(head) == 4:
		return head, nil
	case len(head) == 0 && err == io.EOF:
		return nil, &OpenError{File: s.name, Reason: "empty file" + where}
	case err == io.EOF:
		return nil, &OpenError{File: s.name, Reason: fmt.Sprintf("too short to be a capture (%d bytes%s)", len(head), where)}
	default:
		return nil, &OpenError{File: s.name, Reason: "read error" + where + ": " + err.Error(), Err: err}
	}
}

// detect recognises pcap (either byte order, micro- or nanosecond) and pcapng.
func detect(head []byte) (format, binary.ByteOrder, string) {
	switch binary.BigEndian.Uint32(head) {
	case 0xA1B2C3D4, 0xA1B23C4D:
		return formatPcap, binary.BigEndian, ""
	case 0xD4C3B2A1, 0x4D3CB2A1:
		return formatPcap, binary.LittleEndian, ""
	case blockSection:
		return formatPcapng, nil, ""
	case 0xA1B2CD34, 0x34CDB2A1:
		return 0, nil, "modified (Kuznetsov) pcap format is not supported; convert it with editcap"
	}
	return 0, nil, fmt.Sprintf("not a pcap or pcapng file (magic 0x%08x)", binary.BigEndian.Uint32(head))
}

// readHeader puts the framer and pcapgo on the stream and reads the file or
// first section header.
func (s *source) readHeader(stream *bufio.Reader, kind format, order binary.ByteOrder) error {
	var err error
	if kind == formatPcap {
		s.fr = newFramer(stream, &pcapRules{order: order})
		var pr *pcapgo.Reader
		if pr, err = pcapgo.NewReader(s.fr); err == nil {
			s.rd, s.link = pr, pr.LinkType()
			return nil
		}
	} else {
		s.fr = newFramer(stream, &ngRules{})
		var nr *pcapgo.NgReader
		if nr, err = pcapgo.NewNgReader(s.fr, pcapgo.NgReaderOptions{WantMixedLinkType: true}); err == nil {
			s.rd = nr
			return nil
		}
	}
	reason := s.fr.problem
	if reason == "" {
		reason = "bad file header: " + err.Error()
	}
	if errors.Is(err, errStopped) {
		err = nil // the reason says it all
	}
	return &OpenError{File: s.name, Reason: reason, Err: err}
}
