package dicom

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var knownReasons = map[string]bool{
	ReasonBadPDUType: true, ReasonBadPDULength: true, ReasonPDUTooLarge: true, ReasonTruncatedPDU: true,
	ReasonGapResync: true, ReasonBadItem: true, ReasonTooManyContexts: true, ReasonBadPDV: true,
	ReasonTooManyPDVs: true, ReasonUnknownContext: true, ReasonCommandTooLarge: true,
	ReasonBadCommand: true, ReasonBadDataset: true, ReasonGaveUp: true,
}

// fuzzSeeds are the synthetic conversations (both directions) and the
// client payloads of the public captures when present.
func fuzzSeeds(f *testing.F) [][2][]byte {
	var seeds [][2][]byte
	for _, c := range conversations() {
		var pair [2][]byte
		for _, ch := range c.chunks {
			pair[ch.dir] = append(pair[ch.dir], ch.data...)
		}
		seeds = append(seeds, pair)
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "tapirx__dicom_*.pcap"))
	for _, p := range files {
		var pair [2][]byte
		for _, s := range readPcap(f, p) {
			pair[s.dir] = append(pair[s.dir], s.payload...)
		}
		seeds = append(seeds, pair)
	}
	return seeds
}

// FuzzAnalyzer feeds both directions in random interleaved segments, with
// occasional gaps, under small caps so they are reached, and checks the
// output's invariants; feeding one direction whole and in pieces must give
// the same messages.
func FuzzAnalyzer(f *testing.F) {
	for i, s := range fuzzSeeds(f) {
		f.Add(s[0], s[1], uint64(i))
	}
	f.Fuzz(func(t *testing.T, c2sData, s2cData []byte, seed uint64) {
		cfg := &Config{MaxPDUBytes: 1 << 16, MaxControlPDUBytes: 4096, MaxPDVsPerPDU: 8, MaxContexts: 8,
			MaxCommandBytes: 256, MaxUIDBytes: 16, MaxListBytes: 40, MaxResyncBytes: 512, MaxViolations: 6}
		rng := rand.New(rand.NewPCG(seed, seed>>32))
		rec := &prototest.Recorder{}
		a := NewAnalyzer(newTestFlow(), rec, cfg)
		prototest.Interleave(rng, [2][]byte{c2sData, s2cData}, prototest.UpTo(rng, 64), func(d app.Direction, seg []byte) {
			if rng.IntN(50) == 0 {
				a.Gap(d, rng.IntN(10)-1)
			}
			a.Data(d, seg, t0)
		})
		a.End(c2s)
		a.Expire()
		checkInvariants(t, rec, cfg)

		whole := &prototest.Recorder{}
		w := NewAnalyzer(newTestFlow(), whole, cfg)
		w.Data(c2s, c2sData, t0)
		w.Expire()
		pieces := &prototest.Recorder{}
		p := NewAnalyzer(newTestFlow(), pieces, cfg)
		for _, seg := range prototest.Segments(c2sData, prototest.UpTo(rng, 32)) {
			p.Data(c2s, seg, t0)
		}
		p.Expire()
		checkInvariants(t, whole, cfg)
		if len(whole.Msgs) != len(pieces.Msgs) || strings.Join(whole.Reasons(), ",") != strings.Join(pieces.Reasons(), ",") {
			t.Fatalf("segmentation changed the output: %d/%v whole, %d/%v in pieces",
				len(whole.Msgs), whole.Reasons(), len(pieces.Msgs), pieces.Reasons())
		}
	})
}

func checkInvariants(t *testing.T, rec *prototest.Recorder, cfg *Config) {
	t.Helper()
	for _, m := range rec.Msgs {
		if m.App != "dicom" || !strings.HasPrefix(m.Type, "A-") && m.Type != "P-DATA-TF" {
			t.Fatalf("bad message app/type %q/%q", m.App, m.Type)
		}
		if m.PHI.Empty() != (len(m.PHIFields) == 0) {
			t.Fatalf("PHI kinds and fields disagree: %v %v", m.PHI, m.PHIFields)
		}
		for k, v := range m.Attrs {
			if len(v) > cfg.MaxListBytes && len(v) > cfg.MaxUIDBytes && k != "user_hash" {
				t.Fatalf("attr %s not capped: %d bytes", k, len(v))
			}
		}
		for _, s := range []string{m.Sender, m.Receiver, m.Software} {
			if len(s) > 16 || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' }) {
				t.Fatalf("identity string not cleaned: %q", s)
			}
		}
		if m.Counts["pdvs"] > cfg.MaxPDVsPerPDU {
			t.Fatalf("PDV cap not kept: %d", m.Counts["pdvs"])
		}
	}
	rec.CheckAnomalies(t, knownReasons, ReasonGaveUp)
}
