package dhcp

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// FuzzDatagram checks that any datagram parses without panic, with known
// reasons and types, and bounded strings.
func FuzzDatagram(f *testing.F) {
	for _, e := range labExchanges() {
		f.Add(serialize(f, e.msg))
	}
	f.Add(raw(53, 1, 1, 52, 1, 3, 255))
	known := map[string]bool{ReasonBadHeader: true, ReasonBadOption: true, ReasonTooManyOptions: true, ReasonGaveUp: true}
	f.Fuzz(func(t *testing.T, msg []byte) {
		cfg := DefaultConfig()
		cfg.MaxOptions = 8
		r := &prototest.Recorder{}
		NewDatagramAnalyzer(testFlow, r, &cfg).Datagram(app.ClientToServer, msg, t0)
		for _, a := range r.Anoms {
			if !known[a.Reason] {
				t.Fatalf("unknown reason %q", a.Reason)
			}
		}
		for _, m := range r.Msgs {
			if m.Type == "" || len(m.Attrs["hostname"]) > cfg.MaxStringBytes || len(m.Device) > cfg.MaxStringBytes {
				t.Fatalf("bad message %+v", m)
			}
		}
	})
}
