package detect_test

import (
	"net/netip"
	"runtime"
	"testing"
	"time"

	"labwatch/detect"
	"labwatch/protocols/app"
	"labwatch/testdata/scenario"
)

// BenchmarkEngineEvents replays a generated lab week (flow starts and ends,
// messages, anomalies, a tick per minute) through detection. Bytes are the
// application messages' wire bytes.
func BenchmarkEngineEvents(b *testing.B) {
	sc := scenario.Generate(scenario.DefaultOptions())
	var msgBytes int64
	for _, ev := range sc.Events {
		if ev.Msg != nil {
			msgBytes += int64(ev.Msg.Bytes)
		}
	}
	b.SetBytes(msgBytes)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		replay(detect.NewEngine(scenarioConfig(), nil), sc.Events)
	}
	b.ReportMetric(float64(len(sc.Events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkMessage measures one judged message from a known device.
func BenchmarkMessage(b *testing.B) {
	cfg := scenarioConfig()
	cfg.Learn = time.Hour
	e := detect.NewEngine(cfg, nil)
	f := &app.Flow{Transport: app.TCP, Client: netip.MustParseAddrPort("10.1.0.5:50000"),
		Server: netip.MustParseAddrPort("10.1.0.1:2575"), Start: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	e.FlowStart(f)
	m := &app.Message{App: "hl7", Type: "ORU^R01", Sender: "A^LAB", Flow: f, TS: f.Start.Add(2 * time.Hour),
		PHI: app.PHISet(app.PHIName), PHIFields: []string{"PID-5"}, Bytes: 1500}
	b.SetBytes(int64(m.Bytes))
	b.ReportAllocs()
	for b.Loop() {
		m.TS = m.TS.Add(time.Millisecond)
		e.Message(m)
	}
}

// learnDevices gives n devices peers peers each and a day of hourly profile.
func learnDevices(n, peers int) *detect.Engine {
	cfg := scenarioConfig()
	cfg.MaxDevices = n + peers + 10
	cfg.MaxPeersPerDevice = peers + 1
	e := detect.NewEngine(cfg, nil)
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for h := 0; h < 24; h++ {
		ts := start.Add(time.Duration(h) * time.Hour)
		for i := 0; i < n; i++ {
			c := netip.AddrFrom4([4]byte{10, 50, byte(i >> 8), byte(i)})
			p := i % peers
			if h < peers {
				p = h % peers
			}
			f := &app.Flow{Transport: app.TCP, Start: ts, Client: netip.AddrPortFrom(c, 50000),
				Server: netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 60, byte(p >> 8), byte(p)}), 2575)}
			e.FlowStart(f)
		}
	}
	for i := 0; i < n; i++ {
		// More peers than hours: add the rest directly.
		c := netip.AddrFrom4([4]byte{10, 50, byte(i >> 8), byte(i)})
		for p := 24; p < peers; p++ {
			e.FlowStart(&app.Flow{Transport: app.TCP, Start: start.Add(24 * time.Hour), Client: netip.AddrPortFrom(c, 50000),
				Server: netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 60, byte(p >> 8), byte(p)}), 2575)})
		}
	}
	e.Close()
	return e
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkMemoryPerDevice reports the heap held per device (inventory entry,
// model, hour-of-day profile, one peer) and per additional peer, with 10,000
// devices. Run with -benchtime=1x.
func BenchmarkMemoryPerDevice(b *testing.B) {
	const n = 10000
	for b.Loop() {
		base := heap()
		one := learnDevices(n, 1)
		withOne := heap() - base
		runtime.KeepAlive(one)
		one = nil
		base = heap()
		many := learnDevices(n, 40)
		withMany := heap() - base
		runtime.KeepAlive(many)
		b.ReportMetric(float64(withOne)/n, "bytes/device")
		b.ReportMetric(float64(int64(withMany)-int64(withOne))/(n*39), "bytes/peer")
		_ = one
	}
}

// TestMessageDoesNotAllocate locks in the hot path: a judged message from a
// known device on a known path allocates nothing.
func TestMessageDoesNotAllocate(t *testing.T) {
	cfg := scenarioConfig()
	cfg.Learn = time.Hour
	e := detect.NewEngine(cfg, nil)
	f := &app.Flow{Transport: app.TCP, Client: netip.MustParseAddrPort("10.1.0.5:50000"),
		Server: netip.MustParseAddrPort("10.1.0.1:2575"), Start: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	e.FlowStart(f)
	m := &app.Message{App: "hl7", Type: "ORU^R01", Sender: "A^LAB", Flow: f, TS: f.Start.Add(2 * time.Hour),
		PHI: app.PHISet(app.PHIName), PHIFields: []string{"PID-5"}, Bytes: 1500}
	e.Message(m)
	allocs := testing.AllocsPerRun(1000, func() {
		m.TS = m.TS.Add(time.Millisecond)
		e.Message(m)
	})
	if allocs != 0 {
		t.Fatalf("Message allocates %.1f times per call", allocs)
	}
}
