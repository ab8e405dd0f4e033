package report

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"labwatch/capture"
	"labwatch/capture/pcapfile"
	"labwatch/detect"
	"labwatch/output"
	"labwatch/protocols"
	"labwatch/protocols/app"
	"labwatch/testdata/gen"
)

// pipeline is a minimal sensor for the tests: capture, protocol analyzers and
// detection, with the engine in reach (the sensor keeps its own private).
type pipeline struct {
	cap      *capture.Engine
	dispatch *protocols.Dispatcher
	det      *detect.Engine
	log      *AlertLog
}

func (p *pipeline) Message(m *app.Message) { p.det.Message(m) }
func (p *pipeline) Anomaly(a *app.Anomaly) { p.det.Anomaly(a) }

func (p *pipeline) FlowStart(f *capture.Flow) (app.Analyzer, app.DatagramAnalyzer) {
	p.det.FlowStart(&f.Flow)
	if f.Transport == app.TCP {
		return p.dispatch.NewStream(&f.Flow), nil
	}
	return nil, p.dispatch.NewDatagram(&f.Flow)
}

func (p *pipeline) FlowEnd(f *capture.Flow, _ capture.EndReason) {
	p.det.FlowEnd(&detect.FlowRecord{Flow: &f.Flow, Last: f.Last, Packets: f.Packets, Bytes: f.Bytes, MAC: f.MAC, HasMAC: f.HasMAC})
}

// demoOptions spreads the demo mix over about four hours of capture time, so
// that detection learns whole hours and then judges.
func demoOptions() gen.Options {
	o := gen.Demo()
	o.FlowGap = 2 * time.Minute
	o.ThinkTime = 20 * time.Second
	return o
}

func prefix(s string) detect.Prefix { return detect.Prefix{Prefix: netip.MustParsePrefix(s)} }

// runDemo replays a generated capture and returns the page data (taken before
// the input is closed, so that the open hour is still there) and the truth.
func runDemo(t testing.TB, o gen.Options) (*Data, gen.Truth) {
	t.Helper()
	raw, truth, err := gen.Capture(o)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "demo.pcap")
	require.NoError(t, os.WriteFile(path, raw, 0o600))

	dcfg := detect.DefaultConfig()
	dcfg.Sensor = "lab-test"
	dcfg.Learn = 2 * time.Hour
	dcfg.Devices = []detect.DeviceConfig{
		{Match: prefix("10.40.1.10/32"), Name: "lis01", Role: "lis"},
		{Match: prefix("10.40.1.20/32"), Name: "ie01", Role: "interface_engine"},
		{Match: prefix("10.40.2.0/24"), Name: "analyzer", Role: "analyzer"},
	}
	p := &pipeline{log: NewAlertLog(0)}
	p.det = detect.NewEngine(dcfg, p.log.Add)
	p.dispatch = protocols.NewDispatcher(protocols.DefaultConfig(), p)
	p.cap = capture.NewEngine(capture.DefaultConfig(), p)

	r, err := pcapfile.Open([]string{path})
	require.NoError(t, err)
	defer r.Close()
	var first, last, tick time.Time
	r.Each(func(pkt *pcapfile.Packet) {
		ts := pkt.CI.Timestamp
		if first.IsZero() {
			first = ts
		}
		last = ts
		if ts.Sub(tick) >= time.Second {
			tick = ts
			p.det.Tick(ts)
		}
		p.cap.Packet(pkt.Data, pkt.CI, pkt.LinkType)
	})
	snap := p.det.Snapshot()
	cs := p.cap.Stats().Counters()
	sum := &output.Summary{
		Packets: cs.Packets, Bytes: cs.Bytes, Flows: cs.FlowsCreated, Devices: len(snap.Devices),
		Messages: snap.Messages, ParseErrors: snap.ParseErrors, Alerts: snap.Alerts, Dropped: snap.Dropped,
		Learning: snap.Learning, Sensor: dcfg.Sensor, Start: first, End: last, Inventory: snap.Devices,
	}
	d := Collect(sum, p.det, p.log)
	d.Generated = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	return d, truth
}
