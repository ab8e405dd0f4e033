package hl7

import (
	"fmt"
	"time"

	"labwatch/protocols/app"
)

// emitMessage fills the reused app.Message from a.parser.s and emits it.
func (a *Analyzer) emitMessage(st *stream, ts time.Time, latency time.Duration, resent bool) {
	s := &a.parser.s
	// Only the keys the last message set are removed: clearing the whole map
	// costs more than parsing a short ACK.
	for _, k := range a.countKeys {
		delete(a.counts, k)
	}
	a.fillCounts(resent)
	a.phiNames = s.PHIFields.AppendNames(a.phiNames[:0])
	a.msg = app.Message{
		App:        "hl7",
		Type:       s.Key,
		Flow:       a.flow,
		Dir:        st.dir,
		TS:         ts,
		Sender:     s.Sender,
		Receiver:   s.Receiver,
		Device:     s.Device,
		Software:   s.Software,
		Version:    s.Version,
		ControlID:  s.ControlID,
		Ack:        s.AckCode,
		AckLatency: latency,
		Results:    s.Results(),
		Orders:     s.Orders(),
		Queries:    s.Queries(),
		PHI:        s.PHI,
		PHIFields:  a.phiNames,
		Counts:     a.counts,
		Bytes:      s.Bytes,
	}
	a.stats.Messages++
	a.emit.Message(&a.msg)
}

// fillCounts writes the per-message tallies under fixed keys.
func (a *Analyzer) fillCounts(resent bool) {
	s := &a.parser.s
	a.countKeys = a.countKeys[:0]
	set := func(key string, n int) {
		if n > 0 {
			a.counts[key] = n
			a.countKeys = append(a.countKeys, key)
		}
	}
	a.counts["segments"] = s.Segments
	a.countKeys = append(a.countKeys, "segments")
	for k := segEVN; k < numSegKinds; k++ {
		set(segNames[k], s.SegmentCounts[k])
	}
	for i, n := range s.ValueTypes {
		set(valueTypeKeys[i], n)
	}
	set("Z", s.ZSegments)
	set("other", s.OtherSegments)
	set("bad_segments", s.BadSegments)
	set("truncated", b2i(s.Truncated))
	set("in_batch", b2i(s.Batch.Segment != ""))
	set("resent", b2i(resent))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// reportWarnings turns the summary's warnings into anomalies. Details name
// the message type and positions only.
func (a *Analyzer) reportWarnings(st *stream, ts time.Time) {
	s := &a.parser.s
	if s.Warnings == 0 {
		return
	}
	for i, reason := range warningReasons {
		w := Warning(1 << i)
		if !s.Warnings.Has(w) {
			continue
		}
		var detail string
		switch w {
		case WarnBadSegmentID:
			detail = fmt.Sprintf("segment %d has a malformed id (%d such segments)", s.FirstBadSegment, s.BadSegments)
		case WarnControlChars:
			detail = fmt.Sprintf("control bytes in segment %d", s.FirstControlSegment)
		case WarnMissingControlID:
			detail = "MSH-10 control ID is empty"
		case WarnBadVersion:
			detail = "MSH-12 is not an HL7 2.x version"
		case WarnBadEvent:
			detail = "MSH-9 trigger event is malformed"
		case WarnMissingMSA:
			detail = "acknowledgement without MSA segment"
		case WarnBadAckCode:
			detail = "MSA-1 is not AA, AE, AR, CA, CE or CR"
		case WarnTooManySegments:
			detail = fmt.Sprintf("more than %d segments; the rest was skipped", a.cfg.MaxSegments)
		case WarnTruncated:
			detail = a.tooLargeDetail()
		}
		a.anomaly(st.dir, ts, reason, s.Key+": "+detail, false)
	}
}
