package rules

import (
	"net/netip"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"

	"labwatch/protocols/app"
)

// benchEvents is a mix of lab traffic that matches no default rule: results and
// acks between trusted hosts, TLS 1.3, labels, DNS.
func benchEvents() []*Event {
	msgs := []*app.Message{
		msg("hl7", "ORU^R01", "10.40.1.5:40000", "10.40.2.10:2575"),
		msg("hl7", "ACK", "10.40.2.10:2575", "10.40.1.5:40000"),
		msg("astm", "result", "10.40.1.6:40001", "10.40.2.10:5000"),
		msg("tls", "client_hello", "10.40.4.7:50001", "10.40.2.10:443"),
		msg("zpl", "label", "10.40.2.10:50000", "10.40.8.1:9100"),
		msg("dns", "query", "10.40.2.10:50000", "10.1.1.1:53"),
		msg("dicom", "P-DATA-TF", "10.40.3.20:50000", "10.40.9.9:104"),
		msg("hl7", "ORU^R01", "10.40.1.7:40000", "10.40.2.10:2575"),
	}
	msgs[1].Ack = "AA"
	msgs[3].Attrs = map[string]string{"version": "tls1.3"}
	out := make([]*Event, len(msgs))
	for i, m := range msgs {
		out[i] = eventOf(m)
	}
	return out
}

// BenchmarkMatch measures events per second through the default rules when
// nothing matches (the common case).
func BenchmarkMatch(b *testing.B) {
	s := Default()
	events := benchEvents()
	b.ReportAllocs()
	b.SetBytes(int64(unsafe.Sizeof(Event{})))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if len(s.Match(events[i%len(events)])) != 0 {
			b.Fatal("benign event matched")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkMatchAlert measures an event that raises an alert.
func BenchmarkMatchAlert(b *testing.B) {
	s := Default()
	ev := eventOf(msg("astm", "result", "10.40.1.6:40001", "198.51.100.23:5000"))
	b.ReportAllocs()
	b.SetBytes(int64(unsafe.Sizeof(Event{})))
	for b.Loop() {
		s.Match(ev)
	}
}

// TestMatchAllocatesOnce keeps an event that matches nothing cheap: the event is
// boxed once as a value (from a pointer, expr's reflection would copy every field
// it reads), and nothing else allocates.
func TestMatchAllocatesOnce(t *testing.T) {
	s := Default()
	for _, ev := range benchEvents() {
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { s.Match(ev) }), 1.0, ev.App+" "+ev.Type)
	}
}

// TestAdmitSkipsBuildingFoldedAlerts checks the deduplication hook: a match the
// caller folds builds no alert, and an admitted one carries the folded count.
func TestAdmitSkipsBuildingFoldedAlerts(t *testing.T) {
	s := Default()
	var asked []string
	s.Admit = func(rule string, ev *Event) (bool, int) {
		asked = append(asked, rule)
		return len(asked) > 1, 4
	}
	var matching *Event
	for _, m := range scenario() {
		if ev := eventOf(m); len(Default().Match(ev)) > 0 {
			matching = ev
			break
		}
	}
	if matching == nil {
		t.Skip("no matching event in the scenario")
	}
	assert.Empty(t, s.Match(matching), "the first match is folded")
	out := s.Match(matching)
	if assert.NotEmpty(t, out) {
		assert.Equal(t, 5, out[0].Count, "its own match plus the four folded")
	}
}

func TestInternedAddressesAndKinds(t *testing.T) {
	a := netip.MustParseAddr("10.40.1.22")
	assert.Equal(t, "10.40.1.22", addrString(a))
	assert.Equal(t, "10.40.1.22", addrString(netip.MustParseAddr("::ffff:10.40.1.22")), "mapped addresses unmapped")
	assert.Equal(t, "fd00::5", addrString(netip.MustParseAddr("fd00::5")))
	assert.Equal(t, "", addrString(netip.Addr{}))
	assert.Zero(t, testing.AllocsPerRun(100, func() { addrString(a) }), "a cached address costs nothing")
	var s app.PHISet
	s.Add(app.PHIName)
	s.Add(app.PHIBirthDate)
	assert.Equal(t, []string{"name", "birth_date"}, phiKinds(s))
	assert.Zero(t, testing.AllocsPerRun(100, func() { phiKinds(s) }))
	assert.Nil(t, phiKinds(0))
}
