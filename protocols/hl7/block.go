package hl7

import (
	"fmt"
	"time"
)

// handleRecord processes one complete MLLP frame or raw record. Content past
// MaxMessageBytes is cut: its head is still parsed and marked truncated.
func (a *Analyzer) handleRecord(st *stream, rec []byte, ts time.Time, over bool) {
	if len(rec) > a.cfg.MaxMessageBytes {
		rec, over = rec[:a.cfg.MaxMessageBytes], true
	}
	order, bom := notUTF16, 0
	if st.framing == framingUTF16 {
		order = st.order
		if o, n := detectUTF16(rec); o == order {
			bom = n
		}
	} else {
		order, bom = detectUTF16(rec[skipPadding(rec):])
		bom += skipPadding(rec)
	}
	if order != notUTF16 {
		out, complete, ok := appendUTF8(a.u16[:0], rec[bom:], order, a.cfg.MaxMessageBytes)
		if !ok {
			a.violation(st, ts, ReasonBadEncoding, "UTF-16 content of odd length")
			return
		}
		a.handleBlock(st, out, ts, over || !complete, order)
		if cap(out) > releaseAbove {
			out = nil // a large transcoding buffer is not kept
		}
		a.u16 = out[:0]
		return
	}
	a.handleBlock(st, rec, ts, over, order)
}

// handleBlock walks the records of one block: usually a single message, but
// an MLLP frame may carry a whole batch, and the parser stops at the next
// MSH, so a frame with several messages yields them all.
func (a *Analyzer) handleBlock(st *stream, block []byte, ts time.Time, over bool, order byteOrder) {
	pos := skipPadding(block)
	if pos == len(block) {
		return // an empty frame: some engines send them as keep-alives
	}
	messages, envelopes, orphans := 0, 0, 0
	for pos < len(block) && !a.gaveUp {
		rest := block[pos:]
		switch k := headerKind(rest); k {
		case recMSH:
			a.parser = borrowParser(&a.cfg)
			err := a.parser.parse(rest)
			pos += max(a.parser.s.Bytes, 1)
			messages++
			a.message(st, ts, err, over && pos >= len(block), order)
			returnParser(a.parser)
			a.parser = nil
		case recNone:
			at, _ := findRecord(block, pos, false)
			if at < 0 {
				at = len(block)
			}
			if pos == skipPadding(block) {
				a.violation(st, ts, ReasonBadMSH, "message does not start with an MSH segment")
			} else {
				orphans += countSegments(block[pos:at])
			}
			pos = at
		default:
			envelopes++
			end := lineEnd(block, pos)
			if problem := st.batch.envelope(k, block[pos:end], Separators{Field: block[pos+3]}, &a.cfg); problem != "" {
				a.violation(st, ts, ReasonBadBatch, problem)
			}
			pos = nextLine(block, pos)
			at, _ := findRecord(block, pos, true)
			if at < 0 {
				at = len(block)
			}
			orphans += countSegments(block[pos:at])
			pos = at
		}
	}
	if orphans > 0 {
		a.violation(st, ts, ReasonOrphanSegment, fmt.Sprintf("%d segments outside any message", orphans))
	}
	if st.framing == framingMLLP && messages > 1 && envelopes == 0 {
		a.violation(st, ts, ReasonBadMLLPFraming, fmt.Sprintf("one frame carries %d messages", messages))
	}
}

// countSegments counts the non-blank lines of b.
func countSegments(b []byte) int {
	n := 0
	for pos := 0; pos < len(b); {
		end := lineEnd(b, pos)
		if !isBlank(b[pos:end]) {
			n++
		}
		pos = nextLine(b, pos)
	}
	return n
}

// message reports one parsed message (in a.parser.s): a violation when it is not
// well-formed, else an app.Message, its correlation and its warnings.
func (a *Analyzer) message(st *stream, ts time.Time, err error, truncated bool, order byteOrder) {
	s := &a.parser.s
	// Reported already when the record crossed the cap (Data).
	report := truncated && !st.overReported
	if truncated {
		s.Truncated = true
	}
	if report {
		s.Warnings.add(WarnTruncated)
	}
	if order != notUTF16 {
		s.Encoding = order.String()
	}
	if err != nil {
		if report {
			a.anomaly(st.dir, ts, ReasonMsgTooLarge, a.tooLargeDetail(), false)
		}
		a.violation(st, ts, ReasonOf(err), err.Error())
		return
	}
	a.confirmed = true
	a.violations = 0
	st.messages++
	s.Batch = st.batch.message()
	if s.Truncated {
		a.stats.Truncated++
	}
	latency, resent := a.correlate(st, ts)
	a.emitMessage(st, ts, latency, resent)
	a.reportWarnings(st, ts)
}

func (a *Analyzer) tooLargeDetail() string {
	return fmt.Sprintf("message longer than %d bytes; only its head was parsed", a.cfg.MaxMessageBytes)
}
