package dns

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"labwatch/protocols/app"
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
		udp := &recorder{}
		NewDatagramAnalyzer(testFlow, udp, &cfg).Datagram(app.ClientToServer, msg, t0)
		if len(msg) > 0xffff {
			return
		}
		stream := append([]byte{byte(len(msg) >> 8), byte(len(msg))}, msg...)
		stream = append(stream, stream...)
		tcp := &recorder{}
		a := NewAnalyzer(testFlow, tcp, &cfg)
		rng := rand.New(rand.NewPCG(seed, 2))
		bufs := [2][]byte{stream, stream}
		for len(bufs[0])+len(bufs[1]) > 0 {
			d := rng.IntN(2)
			if len(bufs[d]) == 0 {
				d ^= 1
			}
			n := 1 + rng.IntN(len(bufs[d]))
			a.Data(app.Direction(d), bufs[d][:n], t0)
			bufs[d] = bufs[d][n:]
		}
		a.Expire()
		for _, r := range []*recorder{udp, tcp} {
			for _, an := range r.anoms {
				if !knownReasons[an.Reason] {
					t.Fatalf("unknown reason %q", an.Reason)
				}
			}
			for _, m := range r.msgs {
				if m.Type != "query" && m.Type != "response" {
					t.Fatalf("unknown type %q", m.Type)
				}
				if len(m.Attrs["qname"]) > 4*maxNameWire {
					t.Fatalf("name too long")
				}
			}
		}
		if !tcpGaveUp(tcp) && len(tcp.msgs) != 4*len(udp.msgs) {
			t.Fatalf("TCP read %d messages, UDP %d", len(tcp.msgs), len(udp.msgs))
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
	r := &recorder{}
	for _, c := range cases {
		NewDatagramAnalyzer(testFlow, r, nil).Datagram(app.ClientToServer, []byte(c), t0)
	}
	if len(r.anoms) != len(cases) {
		t.Fatalf("want one anomaly per case, got %v", r.reasons())
	}
	for _, a := range r.anoms {
		if strings.Contains(fmt.Sprintf("%+v", a), leak) {
			t.Fatalf("anomaly %q carries the name", a.Detail)
		}
	}
}

func tcpGaveUp(r *recorder) bool {
	for _, a := range r.anoms {
		if a.GaveUp {
			return true
		}
	}
	return false
}
