package pcapfile

import "encoding/binary"

// Classic pcap layout: a 24-byte file header, then records of a 16-byte header
// (seconds, fraction, captured length, original length) and the packet bytes.
const (
	pcapFileHeaderLen   = 24
	pcapRecordHeaderLen = 16
)

// pcapRules frames a classic pcap stream for the framer.
type pcapRules struct {
	order      binary.ByteOrder // from the magic number, checked by Open
	headerDone bool
}

func (r *pcapRules) unit() string { return "record" }

func (r *pcapRules) next(f *framer) error {
	f.mark()
	if !r.headerDone {
		if _, err := f.peek(pcapFileHeaderLen); err != nil {
			return err
		}
		r.headerDone = true
		f.begin(pcapFileHeaderLen, -1)
		return nil
	}
	h, err := f.peek(pcapRecordHeaderLen)
	if err != nil {
		return err
	}
	captured, original := r.order.Uint32(h[8:12]), r.order.Uint32(h[12:16])
	// A captured length above the file's snap length is accepted, as Wireshark
	// and tcpdump do: some writers (dpkt) declare a snap length they do not
	// enforce. The absolute cap and the original length still catch a header
	// read from the wrong place.
	if captured > MaxPacketBytes {
		return f.stop(CodeOverLimit, "captured length %d exceeds the %d-byte limit", captured, MaxPacketBytes)
	}
	if captured > original {
		return f.stop(CodeBadLength, "captured length %d exceeds original length %d", captured, original)
	}
	f.begin(pcapRecordHeaderLen+int(captured), -1)
	return nil
}

// checkTail is never reached: pcap records have no checkpoint.
func (r *pcapRules) checkTail(*framer) error { return nil }
