package creds

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// FuzzAnalyzer feeds arbitrary bytes to both directions of a flow on each
// registered port (and an unknown one), cut at boundaries chosen by the input,
// with gaps, and requires no panic and gave_up at most once. Seeds: every
// test session.
func FuzzAnalyzer(f *testing.F) {
	for _, s := range sessions() {
		var all []byte
		for _, st := range s.steps {
			all = append(all, st.data...)
		}
		f.Add(all, uint64(s.port))
	}
	ports := []uint16{21, 23, 25, 110, 143, 2121}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		rec := &prototest.Recorder{}
		a := NewAnalyzer(flowTo(ports[seed%uint64(len(ports))]), rec, &Config{MaxLineBytes: 128, MaxViolations: 4, MaxTelnetLines: 20})
		prototest.FuzzSteps(data, seed, 31, func(seed uint64, dir app.Direction, piece []byte) {
			if seed>>8&31 == 0 {
				a.Gap(dir, int(seed>>13&0xff))
			}
			a.Data(dir, piece, t0)
		})
		a.End(app.ClientToServer)
		a.Expire()
		rec.CheckGaveUpOnce(t)
	})
}

// FuzzSNMP parses arbitrary datagrams.
func FuzzSNMP(f *testing.F) {
	f.Add(snmpPacket(1, "public", 0xa0))
	f.Add(snmpPacket(0, "x", 0xa4))
	f.Fuzz(func(t *testing.T, payload []byte) {
		d := NewDatagramAnalyzer(&app.Flow{Transport: app.UDP}, &prototest.NullEmitter{}, nil)
		d.Datagram(app.ClientToServer, payload, t0)
	})
}
