package astm

import (
	"labwatch/protocols/app"
)

// Session is what ParseRecords found in one run of raw LIS2-A2 records. It holds
// device identities, counts, test codes and result values, but no patient
// identifier: patient and specimen fields are reported by kind and position only.
type Session struct {
	Messages []Message `json:"messages"`
	// Findings are the anomalies met, in order, at most Config.MaxFindings.
	Findings        []Finding `json:"findings,omitempty"`
	FindingsDropped int       `json:"findings_dropped,omitempty"`
	Bytes           int       `json:"bytes"`
}

// Finding is one anomaly ParseRecords met: a reason code and a detail that
// names positions, never values.
type Finding struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// Message is one LIS2-A2 message, H through L.
type Message struct {
	Header Header `json:"header"`
	// Kind is result (has R records), order (O without R), query (Q) or other.
	Kind string `json:"kind"`
	// Complete is false for a message the input ended before its L record.
	Complete bool         `json:"complete"`
	Records  RecordCounts `json:"records"`
	// PHI and PHIFields tell which patient identifiers are present ("ASTM P-6").
	PHI       app.PHISet `json:"-"`
	PHIKinds  []string   `json:"phi,omitempty"`
	PHIFields []string   `json:"phi_fields,omitempty"`
	// Termination is L-3 (N normal, T sender abort, R receiver abort, E error,
	// Q query error, I no information, F finished).
	Termination string   `json:"termination,omitempty"`
	Orders      []Order  `json:"orders,omitempty"`
	Results     []Result `json:"results,omitempty"`
	Queries     []Query  `json:"queries,omitempty"`
	Bytes       int      `json:"bytes"`
}

// RecordCounts counts the records of a message by type.
type RecordCounts struct {
	H, P, O, R, C, Q, M, S, L int
	Other                     int `json:",omitempty"`
}

// Order is what an O record says about the tests asked for. The specimen ID
// (O-3) is only noted as present.
type Order struct {
	TestIDs     []string `json:"test_ids,omitempty"`    // O-5, one per repeat
	Priority    string   `json:"priority,omitempty"`    // O-6 (S stat, R routine …)
	ActionCode  string   `json:"action_code,omitempty"` // O-12 (N new, Q QC, A add …)
	ReportType  string   `json:"report_type,omitempty"` // O-26 (F final, O order, Q query response …)
	HasSpecimen bool     `json:"has_specimen"`          // O-3 is filled
}

// Result is one R record.
type Result struct {
	TestID string `json:"test_id,omitempty"`
	Value  string `json:"value,omitempty"`   // R-4, as sent
	Units  string `json:"units,omitempty"`
	Flags  string `json:"flags,omitempty"`   // R-7 abnormal flags
	Status string `json:"status,omitempty"`  // R-9 (F final, C correction, P preliminary …)
}

// Query is one Q record (request for information).
type Query struct {
	HasRange bool     `json:"has_range"`          // names patients or specimens
	TestIDs  []string `json:"test_ids,omitempty"`
	Status   string   `json:"status,omitempty"`   // Q-13 request information status code
}

// ParseRecords parses raw LIS2-A2 records (no E1381 framing): lines ended by CR,
// LF or CRLF, with the delimiters each H record declares. Empty input gives an
// empty Session and no error. ErrNotASTM means no record was found at all;
// ErrTooManyMessages that parsing stopped at Config.MaxMessages. Anomalies are
// in Session.Findings.
func ParseRecords(data []byte, cfg *Config) (Session, error) {
	c := cfg.normalized()
	p := &recordParser{cfg: &c}
	p.b = newBuilder(p, &c, true)
	p.asm.max = c.MaxRecordBytes
	p.sess.Bytes = len(data)
	for len(data) > 0 && p.err == nil {
		k := indexLineEnd(data)
		if k < 0 {
			p.asm.feed(data, p)
			break
		}
		p.asm.feed(data[:k+1], p)
		data = data[k+1:]
	}
	if p.err == nil {
		p.asm.end(p)
		if p.b.open() {
			p.anomaly(ReasonMissingTerminator, "input ended before the L record")
			p.partial = true
			p.message(&p.b.m)
			p.b.drop(false)
		}
		p.b.flush()
	}
	if p.err == nil && p.sess.Bytes > 0 && !p.sawRecord {
		p.err = ErrNotASTM
	}
	return p.sess, p.err
}

// recordParser is the sink of ParseRecords: it collects messages and findings.
type recordParser struct {
	cfg       *Config
	b         *builder
	asm       assembler
	sess      Session
	sawRecord bool
	partial   bool // the message being reported has no L record
	err       error
}

func (p *recordParser) record(rec []byte) {
	if p.err != nil {
		return
	}
	if _, ok, _ := recordShape(rec); ok {
		p.sawRecord = true
	}
	p.b.record(rec)
	p.b.flush()
}

func (p *recordParser) anomaly(reason, detail string) {
	if len(p.sess.Findings) >= p.cfg.MaxFindings {
		p.sess.FindingsDropped++
		return
	}
	p.sess.Findings = append(p.sess.Findings, Finding{Reason: reason, Detail: detail})
}

func (p *recordParser) message(m *msgState) {
	if len(p.sess.Messages) >= p.cfg.MaxMessages {
		p.err = ErrTooManyMessages
		return
	}
	c := &m.counts
	out := Message{
		Header:   m.header,
		Kind:     m.kind(),
		Complete: !p.partial,
		Records: RecordCounts{H: c[idxH], P: c[idxP], O: c[idxO], R: c[idxR], C: c[idxC],
			Q: c[idxQ], M: c[idxM], S: c[idxS], L: c[idxL], Other: m.other},
		PHI:       m.phi,
		PHIKinds:  m.phi.Kinds(),
		PHIFields: phiFieldNames(nil, m.phiMask),
		Orders:    append([]Order(nil), m.orders...),
		Results:   append([]Result(nil), m.results...),
		Queries:   append([]Query(nil), m.queries...),
		Bytes:     m.bytes,
	}
	if m.termination != 0 {
		out.Termination = string(rune(m.termination))
	}
	p.sess.Messages = append(p.sess.Messages, out)
}

// detailKeeper copies the per-record details ParseRecords reports.
type detailKeeper struct {
	max int
}

// keep appends the details of an O, R or Q record to m.
func (k *detailKeeper) keep(m *msgState, rec []byte) {
	d := &m.header.Delimiters
	switch rec[0] {
	case 'O':
		m.orders = append(m.orders, Order{
			TestIDs:     k.testIDs(field(rec, d.Field, 5), d),
			Priority:    k.text(field(rec, d.Field, 6), d),
			ActionCode:  k.text(field(rec, d.Field, 12), d),
			ReportType:  k.text(field(rec, d.Field, 26), d),
			HasSpecimen: !blank(field(rec, d.Field, 3), d),
		})
	case 'R':
		m.results = append(m.results, Result{
			TestID: k.testID(field(rec, d.Field, 3), d),
			Value:  k.text(field(rec, d.Field, 4), d),
			Units:  k.text(field(rec, d.Field, 5), d),
			Flags:  k.text(field(rec, d.Field, 7), d),
			Status: k.text(field(rec, d.Field, 9), d),
		})
	case 'Q':
		m.queries = append(m.queries, Query{
			HasRange: queryRangeKinds(field(rec, d.Field, 3), d)|queryRangeKinds(field(rec, d.Field, 4), d) != 0,
			TestIDs:  k.testIDs(field(rec, d.Field, 5), d),
			Status:   k.text(field(rec, d.Field, 13), d),
		})
	}
}

// testIDs splits a universal test ID field into its repeats.
func (k *detailKeeper) testIDs(f []byte, d *Delimiters) []string {
	var out []string
	it := newFieldIter(f, d.Repeat)
	for {
		_, r, ok := it.next()
		if !ok {
			return out
		}
		if id := k.testID(r, d); id != "" {
			out = append(out, id)
		}
	}
}

// testID is a universal test ID without its empty leading components:
// "^^^685/" gives "685/".
func (k *detailKeeper) testID(f []byte, d *Delimiters) string {
	for len(f) > 0 && (f[0] == d.Component || f[0] == ' ') {
		f = f[1:]
	}
	return k.text(f, d)
}

// text is a cleaned field value without trailing empty components ("40^^").
func (k *detailKeeper) text(f []byte, d *Delimiters) string {
	f = trimSpace(f)
	for len(f) > 0 && (f[len(f)-1] == d.Component || f[len(f)-1] == ' ') {
		f = f[:len(f)-1]
	}
	r := headerReader{max: k.max}
	return string(r.clean(nil, f))
}
