package astm

import (
	"fmt"
	"strings"
	"time"

	"labwatch/protocols/app"
)

// Assembling records into LIS2-A2 messages (H … L), apart from how the records
// arrived (E1381 frames or raw lines). The builder counts, checks the record
// hierarchy, notes PHI presence and hands each complete message to its sink.

// recordTypes are the LIS2-A2 record types, in the order counts are kept.
const recordTypes = "HPORCQMSL"

const (
	idxH = iota
	idxP
	idxO
	idxR
	idxC
	idxQ
	idxM
	idxS
	idxL
)

// phase of the message being assembled.
type phase uint8

const (
	phaseNone phase = iota // between messages
	phaseOpen              // H seen, L not yet
	phaseDone              // L seen; waiting to be handed over
	phaseSkip              // dropped; records are ignored up to the next H
)

// sink receives what the builder finds.
type sink interface {
	anomaly(reason, detail string)
	message(m *msgState)
}

// msgState is one message being assembled. The header's strings survive reset so
// that an unchanged header is not copied again.
type msgState struct {
	header      Header
	counts      [len(recordTypes)]int
	other       int // records of a type LIS2-A2 does not define
	records     int
	bytes       int
	phi         app.PHISet
	phiMask     uint32
	termination byte
	fnPrefix    int  // records written with a frame-number digit in front
	oddDelims   bool // delimiters declared with duplicates
	sawP, sawO  bool
	warned      bool // unexpected_record already reported
	start, end  time.Time

	// Per-record details, kept only for ParseRecords.
	orders  []Order
	results []Result
	queries []Query
}

func (m *msgState) reset() {
	h := m.header
	o, r, q := m.orders[:0], m.results[:0], m.queries[:0]
	*m = msgState{header: h, orders: o, results: r, queries: q}
}

// kind is the summary key: result, order, query or other.
func (m *msgState) kind() string {
	switch {
	case m.counts[idxR] > 0:
		return "result"
	case m.counts[idxO] > 0:
		return "order"
	case m.counts[idxQ] > 0:
		return "query"
	}
	return "other"
}

func (m *msgState) qc() bool { return m.header.ProcessingID == "Q" }

// builder turns records into messages.
type builder struct {
	out  sink
	cfg  *Config
	keep bool // keep per-record details (ParseRecords)
	hdr  headerReader
	ph   phase
	m    msgState
	now  time.Time // capture time of the record being fed
	// headerless is set once missing_header was reported for the current run of
	// records outside a message, so a lost H costs one anomaly, not one per record.
	headerless bool
	keeper     detailKeeper
}

func newBuilder(out sink, cfg *Config, keep bool) *builder {
	b := &builder{out: out, cfg: cfg, keep: keep}
	b.hdr.max = cfg.MaxIdentityBytes
	b.keeper.max = cfg.MaxIdentityBytes
	return b
}

// record takes one record, without its terminator.
func (b *builder) record(rec []byte) {
	body, ok, prefixed := recordShape(rec)
	if b.ph == phaseSkip && (!ok || body[0] != 'H') {
		return
	}
	if !ok {
		b.out.anomaly(ReasonBadRecord, fmt.Sprintf("a %d-byte line is not an ASTM record (no type letter and delimiter)", len(rec)))
		return
	}
	if body[0] == 'H' {
		b.header(body, prefixed, len(rec))
		return
	}
	switch b.ph {
	case phaseNone, phaseDone:
		if !b.headerless {
			b.headerless = true
			b.out.anomaly(ReasonMissingHeader, fmt.Sprintf("%c record outside an H…L message", body[0]))
		}
		return
	}
	m := &b.m
	if len(body) > 1 && body[1] != m.header.Delimiters.Field {
		b.out.anomaly(ReasonBadRecord, fmt.Sprintf("%c record uses a field delimiter other than the header's", body[0]))
		return
	}
	m.records++
	m.bytes += len(rec) + 1
	if prefixed {
		m.fnPrefix++
	}
	if m.records > b.cfg.MaxMessageRecords || m.bytes > b.cfg.MaxMessageBytes {
		b.out.anomaly(ReasonMessageTooLarge, fmt.Sprintf("message passed %d records or %d bytes; dropped up to the next H record",
			b.cfg.MaxMessageRecords, b.cfg.MaxMessageBytes))
		b.ph = phaseSkip
		return
	}
	i := strings.IndexByte(recordTypes, body[0])
	if i < 0 {
		m.other++
		b.unexpected(fmt.Sprintf("record type %c is not defined by LIS2-A2", body[0]))
		return
	}
	m.counts[i]++
	d := &m.header.Delimiters
	switch i {
	case idxP:
		m.sawP = true
	case idxO:
		if !m.sawP {
			b.unexpected("O record before any P record")
		}
		m.sawO = true
	case idxR:
		if !m.sawO {
			b.unexpected("R record before any O record")
		}
	case idxL:
		m.termination = terminationCode(body, d)
		m.end = b.now
		b.ph = phaseDone
	}
	phiScan(body, d, m.qc(), &m.phi, &m.phiMask)
	if b.keep {
		b.keeper.keep(m, body)
	}
}

// header starts a message at an H record.
func (b *builder) header(body []byte, prefixed bool, n int) {
	switch b.ph {
	case phaseOpen:
		b.out.anomaly(ReasonMissingTerminator, "H record before the previous message's L record; that message is dropped")
	case phaseDone:
		b.flush()
	}
	b.headerless = false
	d, status := readDelimiters(body)
	if status == delimsBad {
		b.out.anomaly(ReasonBadDelimiters, "H record declares unusable delimiters; defaults used where missing")
	}
	m := &b.m
	m.reset()
	b.hdr.read(&m.header, body, d)
	m.oddDelims = status == delimsOdd
	m.counts[idxH] = 1
	m.records = 1
	m.bytes = n + 1
	if prefixed {
		m.fnPrefix = 1
	}
	m.start = b.now
	b.ph = phaseOpen
}

func (b *builder) unexpected(detail string) {
	if !b.m.warned {
		b.m.warned = true
		b.out.anomaly(ReasonUnexpectedRecord, detail)
	}
}

// flush hands a complete message to the sink.
func (b *builder) flush() {
	if b.ph == phaseDone {
		b.ph = phaseNone
		b.out.message(&b.m)
	}
}

// open tells whether a message has started and not ended.
func (b *builder) open() bool { return b.ph == phaseOpen }

// drop abandons the open message (a message already complete is left for
// flush). With skip, the records that follow are ignored up to the next H, since
// their start was lost; without, they are reported as missing_header.
func (b *builder) drop(skip bool) {
	if b.ph == phaseDone {
		return
	}
	b.ph = phaseNone
	if skip {
		b.ph = phaseSkip
	}
	b.headerless = false
}

// terminationCode is L-3, the first letter of the termination code field.
func terminationCode(rec []byte, d *Delimiters) byte {
	c := trimSpace(component(field(rec, d.Field, 3), d, 1))
	if len(c) == 0 {
		return 0
	}
	return c[0]
}
