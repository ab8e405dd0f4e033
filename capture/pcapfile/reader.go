package pcapfile

import (
	"container/heap"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Packet is one captured packet, valid until the next call to Next.
type Packet struct {
	Data     []byte // pcapgo's reuse buffer; copy it to keep it
	CI       gopacket.CaptureInfo
	LinkType layers.LinkType // per packet: pcapng interfaces may differ
	Source   int             // index into the paths given to Open
}

// Reader merges capture files in timestamp order.
//
// It holds one pending packet per file in a small heap, earliest first, ties
// broken by file order. Next hands out the earliest and reads that file again
// only on the following call, so packet bytes are never copied between pcapgo
// and the caller and nothing is allocated per packet. Next and Close must be
// called from one goroutine; Progress and Problems from any.
type Reader struct {
	sources []*source
	queue   sourceQueue // sources with a pending packet
	handed  *source     // owner of the packet the last Next returned

	read  atomic.Int64 // compressed bytes consumed, all files
	total int64        // sum of file sizes; 0 if any is unknown

	mu       sync.Mutex
	problems []Problem
}

// Open opens capture files to merge; "-" is standard input and may appear once.
// Formats are recognised by content: pcap (either byte order, micro- or
// nanosecond), pcapng, each optionally gzipped. Open fails, naming the file,
// if any input cannot be opened or does not start with a valid header.
func Open(paths []string) (*Reader, error) {
	if len(paths) == 0 {
		return nil, errors.New("pcapfile: no capture files given")
	}
	if len(paths) > MaxFiles {
		return nil, fmt.Errorf("pcapfile: %d files given; at most %d can be merged at once", len(paths), MaxFiles)
	}
	if c := countStdin(paths); c > 1 {
		return nil, &OpenError{File: stdinName, Reason: fmt.Sprintf(`"-" given %d times; standard input can be read once`, c)}
	}
	r := &Reader{sources: make([]*source, 0, len(paths))}
	sizeKnown := true
	for i, path := range paths {
		s, size, err := openSource(path, i, &r.read)
		if err != nil {
			_ = r.Close()
			return nil, err
		}
		r.sources = append(r.sources, s)
		sizeKnown = sizeKnown && size >= 0
		r.total += size
	}
	if !sizeKnown {
		r.total = 0
	}
	r.prime()
	return r, nil
}

// prime reads each source's first packet and builds the heap.
func (r *Reader) prime() {
	r.queue = make(sourceQueue, 0, len(r.sources))
	for _, s := range r.sources {
		if r.advance(s) {
			r.queue = append(r.queue, s)
		}
	}
	heap.Init(&r.queue)
}

func countStdin(paths []string) int {
	n := 0
	for _, p := range paths {
		if p == "-" {
			n++
		}
	}
	return n
}

// Next fills p with the earliest pending packet of all files. It returns io.EOF
// when every file is done; damaged files end early and are listed by Problems.
func (r *Reader) Next(p *Packet) error {
	if s := r.handed; s != nil {
		r.handed = nil
		// s is still the heap's root: nothing moved since it was handed out.
		if r.advance(s) {
			heap.Fix(&r.queue, 0)
		} else {
			heap.Pop(&r.queue)
		}
	}
	if len(r.queue) == 0 {
		return io.EOF
	}
	s := r.queue[0]
	p.Data, p.CI, p.LinkType, p.Source = s.data, s.ci, s.pkLink, s.index
	r.handed = s
	return nil
}

// Each calls fn with every packet in timestamp order (p and its bytes are
// valid until fn returns) until every file is done; damaged files end early
// and are listed by Problems.
func (r *Reader) Each(fn func(p *Packet)) {
	var p Packet
	for r.Next(&p) == nil {
		fn(&p)
	}
}

// advance reads s's next packet, recording a problem if s ended badly.
func (r *Reader) advance(s *source) bool {
	ok, problem := s.next()
	if problem != nil {
		r.mu.Lock()
		r.problems = append(r.problems, *problem)
		r.mu.Unlock()
	}
	return ok
}

// Name returns the name of input i (Packet.Source) as used in problems.
func (r *Reader) Name(i int) string {
	if i < 0 || i >= len(r.sources) {
		return ""
	}
	return r.sources[i].name
}

// Progress returns the bytes consumed from the files (compressed, as stored)
// and their total size, 0 when unknown (standard input, pipes).
func (r *Reader) Progress() (read, total int64) {
	return r.read.Load(), r.total
}

// Problems returns the damaged inputs met so far, at most one per file.
func (r *Reader) Problems() []Problem {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.problems)
}

// Close closes the files (not standard input). Next returns io.EOF afterwards.
func (r *Reader) Close() error {
	var errs []error
	for _, s := range r.sources {
		if err := s.close(); err != nil {
			errs = append(errs, fmt.Errorf("pcapfile: %s: %w", s.name, err))
		}
	}
	r.queue, r.handed = nil, nil
	return errors.Join(errs...)
}

// sourceQueue is a min-heap of sources by pending packet time, then file order.
type sourceQueue []*source

func (q sourceQueue) Len() int { return len(q) }

func (q sourceQueue) Less(i, j int) bool {
	if c := q[i].ci.Timestamp.Compare(q[j].ci.Timestamp); c != 0 {
		return c < 0
	}
	return q[i].index < q[j].index
}

func (q sourceQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }

func (q *sourceQueue) Push(x any) { *q = append(*q, x.(*source)) }

func (q *sourceQueue) Pop() any {
	old := *q
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return s
}
