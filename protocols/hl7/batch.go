package hl7

import "fmt"

// BatchHeader is what an FHS (file) or BHS (batch) header says about the
// envelope around the messages that follow it. Like Summary, it holds copies
// of non-patient fields only.
type BatchHeader struct {
	Segment   string // "FHS" or "BHS"; "" when the message is not in a batch
	Sender    string // "APP^FACILITY" from xHS-3/xHS-4
	Receiver  string // from xHS-5/xHS-6
	Time      string // xHS-7
	Name      string // xHS-9 file or batch name/ID/type
	ControlID string // xHS-11 file or batch control ID
}

// ParseBatchHeader reads one FHS or BHS segment (the line only, no
// terminator needed). A nil cfg means DefaultConfig.
func ParseBatchHeader(seg []byte, cfg *Config) (BatchHeader, error) {
	c := withDefaults(cfg)
	var h BatchHeader
	k := headerKind(seg)
	if k != recFHS && k != recBHS {
		return h, ErrNoBatchHeader
	}
	seg = seg[:lineEnd(seg, 0)]
	sep, ok := readSeparators(seg)
	if !ok {
		return h, ErrBadSeparators
	}
	var f [12][]byte
	n := splitFields(seg[4:], sep.Field, f[:], 2)
	get := func(i int) []byte {
		if i > n {
			return nil
		}
		return f[i]
	}
	var p parser
	p.sep = sep
	sb := &p.sb
	sb.limit, sb.sep = c.MaxValueBytes, sep
	_, _, sender := sb.addJoined(p.hd(get(3)), p.hd(get(4)), '^')
	_, _, receiver := sb.addJoined(p.hd(get(5)), p.hd(get(6)), '^')
	t := sb.add(sep.component(get(7), 1))
	name := sb.add(get(9))
	id := sb.add(get(11))
	all := sb.b.String()
	h.Segment = k.String()
	h.Sender, h.Receiver = sender.of(all), receiver.of(all)
	h.Time, h.Name, h.ControlID = t.of(all), name.of(all), id.of(all)
	return h, nil
}

// batchState follows the FHS/BHS/BTS/FTS envelope of one direction and
// checks that headers and trailers pair up and that the counts in BTS-1 and
// FTS-1 match what was seen.
type batchState struct {
	header   BatchHeader // innermost open header
	file     BatchHeader
	inFile   bool
	inBatch  bool
	batches  int // BHS seen since FHS
	messages int // MSH seen since BHS (or FHS when there is no BHS)
}

// envelope applies one envelope segment and returns a problem description
// for bad_batch, or "". The description holds counts only.
func (b *batchState) envelope(k recordKind, seg []byte, sep Separators, c *Config) string {
	switch k {
	case recFHS, recBHS:
		h, _ := ParseBatchHeader(seg, c)
		var problem string
		if k == recFHS {
			if b.inFile {
				problem = "FHS before the FTS of the previous file"
			}
			*b = batchState{inFile: true, file: h, header: h}
			return problem
		}
		if b.inBatch {
			problem = "BHS before the BTS of the previous batch"
		}
		b.inBatch, b.batches, b.messages, b.header = true, b.batches+1, 0, h
		return problem
	case recBTS:
		var f [2][]byte
		n := segmentFields(seg, sep.Field, f[:])
		if !b.inBatch {
			b.header = b.file
			return "BTS without BHS"
		}
		b.inBatch = false
		b.header = b.file
		if n >= 1 {
			if want := parseCount(f[1]); want >= 0 && want != b.messages {
				return fmt.Sprintf("BTS-1 counts %d messages, %d seen", want, b.messages)
			}
		}
	case recFTS:
		var f [2][]byte
		n := segmentFields(seg, sep.Field, f[:])
		if !b.inFile {
			return "FTS without FHS"
		}
		problem := ""
		if b.inBatch {
			problem = "FTS before the BTS of the open batch"
		}
		batches := b.batches
		*b = batchState{}
		if problem == "" && n >= 1 {
			if want := parseCount(f[1]); want >= 0 && want != batches {
				problem = fmt.Sprintf("FTS-1 counts %d batches, %d seen", want, batches)
			}
		}
		return problem
	}
	return ""
}

// message counts one message and returns the header it belongs to.
func (b *batchState) message() BatchHeader {
	if !b.inFile && !b.inBatch {
		return BatchHeader{}
	}
	b.messages++
	return b.header
}

// unclosed describes an envelope left open when the stream ends, or "".
func (b *batchState) unclosed() string {
	switch {
	case b.inBatch:
		return "batch not closed by BTS"
	case b.inFile:
		return "file not closed by FTS"
	}
	return ""
}
