package dicom

import (
	"fmt"
	"math"

	"labwatch/protocols/app"
)

// resync looks for the next plausible PDU header (pduStart) in the bytes
// held from the previous call followed by b, and returns b from where parsing
// resumes (nil when b is used up). A header split across calls is found:
// the last bytes that could begin one are held, at most startCheckLen-1.
func (s *side) resync(b []byte) []byte {
	maxLen := uint32(min(uint64(s.an.cfg.MaxPDUBytes), math.MaxUint32))
	for i := 0; i < s.holdN; i++ {
		seam := append(s.seam[:0], s.hold[i:s.holdN]...)
		seam = append(seam, b[:min(len(b), startCheckLen)]...)
		switch pduStart(seam, maxLen) {
		case app.Match:
			held := s.heldCopy[:copy(s.heldCopy[:], s.hold[i:s.holdN])]
			s.resumed()
			s.consume(held)
			return b
		case app.NeedMore:
			s.holdN = copy(s.hold[:], seam)
			return nil
		}
		s.passed(1)
	}
	s.holdN = 0
	for j := range b {
		switch pduStart(b[j:], maxLen) {
		case app.Match:
			s.resumed()
			return b[j:]
		case app.NeedMore:
			s.holdN = copy(s.hold[:], b[j:])
			return nil
		}
		s.passed(1)
	}
	return nil
}

// resumed leaves the resync state at a header.
func (s *side) resumed() {
	s.st, s.hn, s.holdN, s.skipped = stHeader, 0, 0, 0
}

// passed counts a byte skipped while resynchronising.
func (s *side) passed(n int) {
	s.skipped += n
	if s.skipped >= s.an.cfg.MaxResyncBytes {
		s.skipped = 0
		s.an.report(s.dir, ReasonBadPDUType, fmt.Sprintf("no PDU header in %d bytes", s.an.cfg.MaxResyncBytes), true)
	}
}
