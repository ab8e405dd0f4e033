package http

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// FuzzAnalyzer feeds arbitrary bytes to both directions of one flow, cut at
// boundaries chosen by the input, with gaps, and requires no panic, gave_up at
// most once and no message without a type. Seeds: every test conversation.
func FuzzAnalyzer(f *testing.F) {
	for _, c := range conversations() {
		var all []byte
		for _, s := range c.steps {
			all = append(all, s.data...)
		}
		f.Add(all, uint64(len(all)))
	}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		rec := &prototest.Recorder{}
		a := NewAnalyzer(newFlow(), rec, &Config{MaxHeaderBytes: 512, MaxBodyInspect: 1024, MaxResyncBytes: 256, MaxPending: 4, MaxViolations: 4})
		prototest.FuzzSteps(data, seed, 97, func(seed uint64, dir app.Direction, piece []byte) {
			if seed>>8&15 == 0 {
				a.Gap(dir, int(seed>>12&0xff)-1)
			}
			if seed>>16&31 == 0 {
				a.End(dir)
			}
			a.Data(dir, piece, t0)
		})
		a.Expire()
		rec.CheckGaveUpOnce(t)
		for _, m := range rec.Msgs {
			if m.Type == "" || m.App != "http" {
				t.Fatalf("bad message %+v", m)
			}
		}
	})
}

// FuzzInspect runs body inspection on arbitrary bodies.
func FuzzInspect(f *testing.F) {
	for _, b := range []string{patientJSON, observationXML, hl7ORU, bundle(patientJSON, observationJSON)} {
		f.Add([]byte(b))
	}
	cfg := DefaultConfig()
	f.Fuzz(func(t *testing.T, body []byte) {
		var bi bodyInfo
		var js jsonScanner
		inspect(body, &cfg, &bi, &js)
		var ti targetInfo
		reduceTarget(body, &ti)
	})
}
