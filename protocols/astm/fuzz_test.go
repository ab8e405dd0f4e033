package astm

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// knownReasons are the documented reason codes; the fuzzer checks no other
// appears.
var knownReasons = map[string]bool{
	ReasonBadChecksum: true, ReasonBadFrameNumber: true, ReasonFramingError: true,
	ReasonFrameTooLarge: true, ReasonAbortedSession: true, ReasonTimeout: true,
	ReasonGapResync: true, ReasonRecordTooLarge: true, ReasonMessageTooLarge: true,
	ReasonBadRecord: true, ReasonBadDelimiters: true, ReasonMissingHeader: true,
	ReasonMissingTerminator: true, ReasonUnexpectedRecord: true, ReasonGaveUp: true,
}

var messageTypes = map[string]bool{"result": true, "order": true, "query": true, "other": true}

// fuzzSeeds are the conversations of testdata/conv (both directions), the
// corpus files when present, and the leak-test streams.
func fuzzSeeds(f *testing.F) [][2][]byte {
	var seeds [][2][]byte
	convs, _ := filepath.Glob("testdata/conv/*.txt")
	for _, p := range convs {
		var pair [2][]byte
		for _, s := range loadScript(f, p).steps {
			if s.op == "data" {
				pair[s.dir] = append(pair[s.dir], s.data...)
			}
		}
		seeds = append(seeds, pair)
	}
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	for _, p := range corpus {
		if filepath.Base(p) == "SOURCES.md" {
			continue
		}
		seeds = append(seeds, [2][]byte{loadCorpus(f, p), nil})
	}
	for _, b := range leakInputs() {
		seeds = append(seeds, [2][]byte{b, {ack, nak, ack, eot}})
	}
	return seeds
}

// FuzzAnalyzer feeds both directions in random interleaved segments, with
// occasional gaps and clock jumps, under small caps so they are reached, and
// checks the output's invariants. Feeding one direction whole and in pieces
// must give the same messages.
func FuzzAnalyzer(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s[0], s[1], uint64(i))
	}
	f.Fuzz(func(t *testing.T, c2s, s2c []byte, seed uint64) {
		cfg := &Config{MaxFrameBytes: 300, MaxRecordBytes: 200, MaxMessageBytes: 2000,
			MaxMessageRecords: 40, MaxViolations: 8, MaxIdentityBytes: 16}
		rng := rand.New(rand.NewPCG(seed, seed>>32))
		rec := &prototest.Recorder{}
		a := NewAnalyzer(testFlow, rec, cfg)
		now := t0
		prototest.Interleave(rng, [2][]byte{c2s, s2c}, prototest.UpTo(rng, 48), func(d app.Direction, seg []byte) {
			switch rng.IntN(40) {
			case 0:
				a.Gap(d, rng.IntN(10)-1)
			case 1:
				now = now.Add(time.Duration(rng.IntN(90)) * time.Second)
			}
			a.Data(d, seg, now)
		})
		a.End(app.ClientToServer)
		a.Expire()
		checkInvariants(t, rec)

		whole := run(t, cfg, c2s)
		pieces := &prototest.Recorder{}
		b := NewAnalyzer(testFlow, pieces, cfg)
		feed(b, app.ClientToServer, c2s, t0, func(n int) []int { return randomCuts(rng, n) })
		b.Expire()
		checkInvariants(t, whole)
		if !slices.Contains(whole.Reasons(), ReasonGaveUp) && !slices.Contains(pieces.Reasons(), ReasonGaveUp) {
			if len(whole.Msgs) != len(pieces.Msgs) {
				t.Fatalf("segmentation changed the messages: %d whole, %d in pieces", len(whole.Msgs), len(pieces.Msgs))
			}
			w, p := whole.Reasons(), pieces.Reasons()
			slices.Sort(w)
			slices.Sort(p)
			if !slices.Equal(w, p) {
				t.Fatalf("segmentation changed the anomalies: %v whole, %v in pieces", w, p)
			}
		}
	})
}

func checkInvariants(t *testing.T, rec *prototest.Recorder) {
	t.Helper()
	for _, m := range rec.Msgs {
		if m.App != "astm" || !messageTypes[m.Type] {
			t.Fatalf("bad message app/type %q/%q", m.App, m.Type)
		}
		if m.Results != m.Counts["R"] || m.Orders != m.Counts["O"] || m.Queries != m.Counts["Q"] {
			t.Fatalf("counts disagree: %+v", m)
		}
		if m.Counts["H"] != 1 || m.Counts["L"] != 1 {
			t.Fatalf("a message is one H … L: %v", m.Counts)
		}
		for k, v := range m.Counts {
			if v <= 0 {
				t.Fatalf("count %s = %d", k, v)
			}
		}
		if m.PHI.Empty() != (len(m.PHIFields) == 0) {
			t.Fatalf("PHI kinds and fields disagree: %v %v", m.PHI, m.PHIFields)
		}
		for _, s := range []string{m.Sender, m.Device, m.Software, m.Receiver, m.Version, m.ControlID} {
			if len(s) > 16 || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' }) {
				t.Fatalf("identity string not cleaned: %q", s)
			}
		}
	}
	rec.CheckAnomalies(t, knownReasons, ReasonGaveUp)
}

// FuzzParseRecords checks ParseRecords never fails other than with its
// sentinel errors and keeps its caps.
func FuzzParseRecords(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s[0])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := &Config{MaxRecordBytes: 300, MaxMessages: 20, MaxFindings: 10}
		s, err := ParseRecords(data, cfg)
		if err != nil && err != ErrNotASTM && err != ErrTooManyMessages {
			t.Fatalf("unexpected error %v", err)
		}
		if len(s.Messages) > 20 || len(s.Findings) > 10 {
			t.Fatalf("caps not kept: %d messages, %d findings", len(s.Messages), len(s.Findings))
		}
		for _, m := range s.Messages {
			if len(m.Results) != m.Records.R || len(m.Orders) != m.Records.O || len(m.Queries) != m.Records.Q {
				t.Fatalf("details disagree with counts: %+v", m.Records)
			}
		}
	})
}
