package gen

import (
	"bufio"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
)

// snapLen is the snapshot length declared in the file; frames are never cut.
const snapLen = 262144

// sink writes frames to a pcap or pcapng stream through a buffer.
type sink struct {
	counter countingWriter
	bw      *bufio.Writer
	pcap    *pcapgo.Writer
	ng      *pcapgo.NgWriter
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func newSink(w io.Writer, link LinkType, ng bool) (*sink, error) {
	s := &sink{counter: countingWriter{w: w}}
	s.bw = bufio.NewWriterSize(&s.counter, 1<<20)
	if ng {
		// Fixed section and interface descriptions keep the file identical on
		// every machine (the library default names the host OS and CPU).
		intf := pcapgo.NgInterface{Name: "span0", Description: "lab SPAN port", LinkType: link.PcapLinkType(), SnapLength: snapLen}
		nw, err := pcapgo.NewNgWriterInterface(s.bw, intf, pcapgo.NgWriterOptions{
			SectionInfo: pcapgo.NgSectionInfo{Application: "labwatch labgen"},
		})
		if err != nil {
			return nil, err
		}
		s.ng = nw
		return s, nil
	}
	s.pcap = pcapgo.NewWriter(s.bw)
	if err := s.pcap.WriteFileHeader(snapLen, link.PcapLinkType()); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *sink) write(ts time.Time, frame []byte) error {
	ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(frame), Length: len(frame)}
	if s.ng != nil {
		return s.ng.WritePacket(ci, frame)
	}
	return s.pcap.WritePacket(ci, frame)
}

// flush writes out buffered data and returns the bytes written so far.
func (s *sink) flush() (int64, error) {
	if s.ng != nil {
		if err := s.ng.Flush(); err != nil {
			return s.counter.n, err
		}
	}
	err := s.bw.Flush()
	return s.counter.n, err
}
