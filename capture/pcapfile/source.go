package pcapfile

import (
	"io"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// packetReader is what pcapgo's Reader and NgReader have in common.
type packetReader interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// source is one input file and its pending packet.
//
// The pending packet's bytes stay in pcapgo's reuse buffer without a copy:
// the merge reads a source again only after its pending packet has been handed
// out and the caller has come back for the next one, which is exactly the
// lifetime Packet.Data promises.
type source struct {
	name  string
	index int
	file  *os.File // nil for stdin, which is not ours to close
	fr    *framer
	rd    packetReader
	link  layers.LinkType // pcap: the file's; pcapng: replaced per packet

	data   []byte
	ci     gopacket.CaptureInfo
	pkLink layers.LinkType
}

// next reads the source's next packet into its pending slot. It reports false
// at the end of the file, with a Problem if the end was not a clean one.
func (s *source) next() (bool, *Problem) {
	data, ci, err := s.rd.ZeroCopyReadPacketData()
	if err == nil {
		s.data, s.ci, s.pkLink = data, ci, s.link
		// pcapgo reports each pcapng packet's interface link type here.
		if len(ci.AncillaryData) > 0 {
			if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
				s.pkLink = lt
			}
		}
		s.ci.AncillaryData = nil // pcapgo reuses it
		return true, nil
	}
	s.data = nil
	if err == io.EOF && s.fr.problem == "" {
		return false, nil
	}
	p := &Problem{File: s.name, Offset: s.fr.start, Code: s.fr.code, Reason: s.fr.problem}
	if p.Reason == "" {
		// A block whose framing was sound but whose contents pcapgo refused,
		// such as a packet naming an interface that was never described.
		p.Code, p.Reason = CodeRejected, s.fr.rules.unit()+" rejected by pcapgo: "+err.Error()
	}
	return false, p
}

func (s *source) close() error {
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	s.file = nil
	return err
}
