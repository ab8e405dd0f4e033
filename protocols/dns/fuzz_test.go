package dns

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

var knownReasons = map[string]bool{
	ReasonBadHeader: true, ReasonBadName: true, ReasonTruncated: true, ReasonTooManyRecords: true,
	ReasonMsgTooLarge: true, ReasonGapResync: true, ReasonGaveUp: true,
}

// FuzzDatagram checks that any datagram parses without panic, with known
// reasons, and that the TCP analyzer reads the same bytes, length-prefixed,
// twice in each direction and cut at random, to the same messages.
func FuzzDatagram(f *testing.F) {
	f.Add(query(f, 1, "lis.lab.example.org", layers.DNSTypeA), uint64(1))
	f.Add(answerA(f, 1, "ntp.lab.example.org", "10.40.0.53", "10.40.1.10"), uint64(2))
	f.Add(answerA(f, 2, "wpad.lab.example.org"), uint64(3))
	for _, g := range udpPayloads(f, demoPcap, 53) {
		f.Add(g.payload, uint64(len(g.payload)))
	}
	f.Fuzz(func(t *testing.T, msg []byte, seed uint64) {
		cfg := DefaultConfig()
		cfg.MaxRecords, cfg.MaxPointers = 4, 3
		udp := &prototest.Recorder{}
		NewDatagramAnalyzer(testFlow, udp, &cfg).Datagram(app.ClientToServer, msg, t0)
		if len(msg) > 0xffff {
			return
		}
		stream := append([]byte{byte(len(msg) >> 8), byte(len(msg))}, msg...)
		stream = append(stream, stream...)
		tcp := &prototest.Recorder{}
		a := NewAnalyzer(testFlow, tcp, &cfg)
		rng := rand.New(rand.NewPCG(seed, 2))
		prototest.Interleave(rng, [2][]byte{stream, stream}, prototest.AnyOf(rng), func(d app.Direction, seg []byte) { a.Data(d, seg, t0) })
		a.Expire()
		for _, r := range []*prototest.Recorder{udp, tcp} {
			for _, an := range r.Anoms {
				if !knownReasons[an.Reason] {
					t.Fatalf("unknown reason %q", an.Reason)
				}
			}
			for _, m := range r.Msgs {
				if m.Type != "query" && m.Type != "response" {
					t.Fatalf("unknown type %q", m.Type)
				}
				if len(m.Attrs["qname"]) > 4*maxNameWire {
					t.Fatalf("name too long")
				}
			}
		}
		if !tcp.GaveUp() && len(tcp.Msgs) != 4*len(udp.Msgs) {
			t.Fatalf("TCP read %d messages, UDP %d", len(tcp.Msgs), len(udp.Msgs))
		}
	})
}

// TestAnomaliesNameNothing plants a recognisable value in broken names and
// checks that no anomaly detail carries it (names are reported only in the
// qname attribute of well-formed messages).
func TestAnomaliesNameNothing(t *testing.T) {
	leak := "testleak7734001"
	name := "\x0f" + leak + "\x00"
	cases := []string{
		"\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00" + name[:9],
		"\x00\x01\x81\x80\x00\x01\x00\x09\x00\x00\x00\x00" + name + "\x00\x01\x00\x01\xc0\x0c",
		"\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00" + name[:len(name)-1] + "\xc0\x0c",
	}
	r := &prototest.Recorder{}
	for _, c := range cases {
		NewDatagramAnalyzer(testFlow, r, nil).Datagram(app.ClientToServer, []byte(c), t0)
	}
	if len(r.Anoms) != len(cases) {
		t.Fatalf("want one anomaly per case, got %v", r.Reasons())
	}
	for _, a := range r.Anoms {
		if strings.Contains(fmt.Sprintf("%+v", a), leak) {
			t.Fatalf("anomaly %q carries the name", a.Detail)
		}
	}
}
