// Package sensor wires the stages of DESIGN.md's data flow together — capture,
// protocol identification and analyzers, detection, outputs — for the command line
// and for end-to-end tests. It holds no logic of its own beyond the wiring and the
// summary.
package sensor

import (
	"runtime"
	"sync/atomic"
	"time"

	"labwatch/capture"
	"labwatch/capture/defrag"
	"labwatch/capture/pcapfile"
	"labwatch/detect"
	"labwatch/output"
	"labwatch/protocols"
	"labwatch/protocols/app"
	"labwatch/report"
)

// Sensor is one pipeline: packets in, events to detection, alerts to the sink.
// Packet, Advance and Close are called from one goroutine (or, with
// Config.Fanout, each of Lanes from its own); Summary and the metrics may be
// read from others.
type Sensor struct {
	cfg      Config
	engines  []*capture.Engine // one per worker
	pool     *workerPool       // nil with one worker or with lanes: packets are processed inline
	lanes    []*Lane           // with Config.Fanout: one input per engine
	events   []*workerEvents   // with several workers or lanes: each engine's batch for detection
	dispatch *protocols.Dispatcher
	detect   *detect.Engine
	alerts   *alertStage

	started time.Time // wall clock, for the elapsed time
	clock   captureClock
	// ChainWarning is set when the alert chain could not be resumed (a damaged
	// head or alert file): the chain starts anew and verify will say so.
	ChainWarning error
	// BaselineWarning is set when the baseline file could not be loaded (damaged,
	// other version): the sensor starts fresh and keeps the bad file until the
	// first save.
	BaselineWarning error
	problems        []output.InputProblem
	// liveDrops reports the kernel's drop counters during a live capture.
	liveDrops func() (kernel, iface uint64)
	// outputs are the syslog senders and alertFile the --alerts file, for
	// their metrics.
	outputs   []*output.Syslog
	alertFile *output.JSONLines
	outages   atomic.Uint64 // live captures that failed and were reopened
}

// Report assembles what the HTML report and the live view show.
func (s *Sensor) Report(alerts *report.AlertLog) *report.Data {
	return report.Collect(s.Summary(), s.detect, alerts)
}

// CaptureOutage counts a live capture that failed and is being reopened.
func (s *Sensor) CaptureOutage() { s.outages.Add(1) }

// SetOutputs gives the sensor the syslog senders whose counters it exports.
func (s *Sensor) SetOutputs(outs []*output.Syslog) { s.outputs = outs }

// alertFileOutput is the output label of the --alerts file's metrics.
const alertFileOutput = "alerts_file"

// SetAlertFile gives the sensor the alert file whose counters it exports.
func (s *Sensor) SetAlertFile(j *output.JSONLines) { s.alertFile = j }

// SetLiveDrops gives the sensor the kernel drop counters of a live capture, for
// the summary and the metrics.
func (s *Sensor) SetLiveDrops(f func() (kernel, iface uint64)) { s.liveDrops = f }

// New builds a sensor; alerts go to sink (which may be nil). It fails only when
// the rule file cannot be loaded.
func New(cfg Config, sink func(*detect.Alert)) (*Sensor, error) {
	s := &Sensor{cfg: cfg, started: time.Now()}
	set, sup, err := loadRules(cfg.RulesFile)
	if err != nil {
		return nil, err
	}
	s.alerts = newAlertStage(&cfg, set, sup, sink)
	s.detect = detect.NewEngine(cfg.Detect, s.alerts.deliver)
	if cfg.BaselineFile != "" {
		s.BaselineWarning = s.detect.LoadBaseline(cfg.BaselineFile)
		// The chain's head is saved with the learned state, so a restart
		// continues the chain.
		s.detect.OnBaselineSaved(func(path string) error { return s.alerts.saveChainHead(path + ".trail") })
	}
	if err := s.alerts.resumeChain(cfg.TrailHead, cfg.AlertsFile); err != nil {
		s.ChainWarning = err
	}
	s.dispatch = protocols.NewDispatcher(cfg.Protocols, s)
	workers := max(cfg.Workers, 1)
	perWorker := cfg.Capture.Divide(workers)
	for i := 0; i < workers; i++ {
		if workers == 1 {
			s.engines = append(s.engines, capture.NewEngine(perWorker, s))
			s.events = append(s.events, nil)
			continue
		}
		// Several workers hand detection their events in batches.
		w := &workerEvents{s: s}
		s.events = append(s.events, w)
		s.engines = append(s.engines, capture.NewEngine(perWorker, w))
	}
	if cfg.Capture.Evidence.Dir != "" {
		ev, err := capture.NewEvidence(cfg.Capture.Evidence)
		if err != nil {
			return nil, err
		}
		for _, e := range s.engines {
			e.SetEvidence(ev)
		}
		s.alerts.evidence = ev
	}
	switch {
	case cfg.Fanout:
		for i, e := range s.engines {
			s.lanes = append(s.lanes, &Lane{s: s, eng: e, events: s.events[i]})
		}
	case workers > 1:
		s.pool = newWorkerPool(s.engines, s.events, cfg.Capture.Defrag)
	}
	return s, nil
}

// Message implements app.Emitter: detection and the rules see every message.
func (s *Sensor) Message(m *app.Message) {
	s.detect.Message(m)
	s.alerts.message(m)
}

// Anomaly implements app.Emitter.
func (s *Sensor) Anomaly(a *app.Anomaly) { s.detect.Anomaly(a) }

// ReloadRules loads the rule file again (SIGHUP). On error the running rules stay.
func (s *Sensor) ReloadRules() error {
	set, sup, err := loadRules(s.cfg.RulesFile)
	if err != nil {
		return err
	}
	s.alerts.reload(set, sup)
	return nil
}

// Packet processes one packet.
func (s *Sensor) Packet(p *pcapfile.Packet) {
	if ts := p.CI.Timestamp; s.clock.see(ts) {
		s.detect.Tick(ts)
	}
	if s.pool != nil {
		s.pool.packet(p)
		return
	}
	s.engines[0].Packet(p.Data, p.CI, p.LinkType)
}

// Packets returns the number of packets processed so far (safe from any goroutine).
func (s *Sensor) Packets() uint64 {
	var n uint64
	for _, e := range s.engines {
		n += e.Stats().Packets.Load()
	}
	if s.pool != nil {
		n += s.pool.sharder.Counters().Packets
	}
	return n
}

// captureCounters sums the capture counters of every worker.
func (s *Sensor) captureCounters() capture.Counters {
	var c capture.Counters
	for _, e := range s.engines {
		c.Add(e.Stats().Counters())
	}
	if s.pool != nil {
		c.Add(s.pool.sharder.Counters())
	}
	return c
}

// defragStats sums the defragmenters' counters of every worker and of the
// reader's sharder.
func (s *Sensor) defragStats() defrag.Stats {
	var t defrag.Stats
	for _, e := range s.engines {
		t.Add(e.DefragStats())
	}
	if s.pool != nil {
		t.Add(s.pool.sharder.DefragStats())
	}
	return t
}

// Advance moves the capture clock on an idle live link.
func (s *Sensor) Advance(now time.Time) {
	s.detect.Tick(now)
	if s.pool != nil {
		s.pool.advance(now)
		return
	}
	s.engines[0].Advance(now)
}

// Close ends every flow so that analyzers flush what they hold, closes the open
// detection hour and saves the baseline.
func (s *Sensor) Close() error {
	if s.pool != nil {
		s.pool.close()
	} else {
		for i, e := range s.engines {
			e.Close()
			if s.lanes != nil {
				s.events[i].flush() // nil with one worker: nothing batched
			}
		}
	}
	s.detect.Close()
	if s.cfg.BaselineFile != "" {
		return s.detect.SaveBaseline(s.cfg.BaselineFile) // saves the chain head too
	}
	if s.cfg.TrailHead != "" {
		return s.alerts.saveChainHead(s.cfg.TrailHead)
	}
	return nil
}

// AddInputProblems records truncated or corrupt inputs for the summary.
func (s *Sensor) AddInputProblems(ps []pcapfile.Problem) {
	for _, p := range ps {
		s.problems = append(s.problems, output.InputProblem{File: p.File, Offset: p.Offset, Code: p.Code, Reason: p.Reason})
	}
}

// FlowStart implements capture.Handler.
func (s *Sensor) FlowStart(f *capture.Flow) (app.Analyzer, app.DatagramAnalyzer) {
	s.detect.FlowStart(&f.Flow)
	return s.analyzers(f, s)
}

// analyzers chooses the analyzers of a new flow, emitting to emit.
func (s *Sensor) analyzers(f *capture.Flow, emit app.Emitter) (app.Analyzer, app.DatagramAnalyzer) {
	if f.Transport == app.TCP {
		return s.dispatch.NewStreamTo(&f.Flow, emit), nil
	}
	return nil, s.dispatch.NewDatagramTo(&f.Flow, emit)
}

// FlowEnd implements capture.Handler.
func (s *Sensor) FlowEnd(f *capture.Flow, _ capture.EndReason) {
	r := endRecord(f)
	s.detect.FlowEnd(&r)
}

// FlowProgress implements capture.ProgressHandler: the bytes a live flow
// carried since its last report go to detection's hourly volumes.
func (s *Sensor) FlowProgress(f *capture.Flow) {
	r := progressRecord(f)
	s.detect.FlowProgress(&r)
}

func endRecord(f *capture.Flow) detect.FlowRecord {
	return detect.FlowRecord{
		Flow: &f.Flow, Last: f.Last, Packets: f.Packets, Bytes: f.Bytes, MAC: f.MAC, HasMAC: f.HasMAC,
		Reported: f.Reported,
	}
}

func progressRecord(f *capture.Flow) detect.FlowRecord {
	return detect.FlowRecord{
		Flow: &f.Flow, Last: f.Last,
		Bytes: [2]uint64{f.Bytes[0] - f.Reported[0], f.Bytes[1] - f.Reported[1]},
	}
}

// Summary reports the run so far.
func (s *Sensor) Summary() *output.Summary {
	cs := s.captureCounters()
	snap := s.detect.Snapshot()
	raised, held, _ := s.alerts.snapshot()
	dropped := cs.Dropped()
	ds := s.defragStats()
	for k, v := range snap.Dropped {
		dropped["detect_"+k] += v
	}
	if s.liveDrops != nil {
		// Live: the kernel's counters are always reported, zero included, so
		// that "no drops" is a statement rather than an absence.
		dropped["kernel_buffer"], dropped["kernel_interface"] = s.liveDrops()
	}
	if ev := s.alerts.evidence; ev != nil {
		st := ev.Stats()
		for k, v := range map[string]uint64{
			"evidence_rate_limited": st.RateLimited.Load(), "evidence_disk_full": st.DiskFull.Load(),
			"evidence_no_ring": st.NoRing.Load(), "evidence_unmatched": st.Unmatched.Load(),
			"evidence_errors": st.Errors.Load(),
		} {
			if v > 0 {
				dropped[k] = v
			}
		}
	}
	for k, v := range map[string]uint64{
		"capture_outages":          s.outages.Load(),
		"fragments_timed_out":      ds.TimedOut,
		"fragments_evicted":        ds.EvictedAtCap,
		"fragments_too_many":       ds.TooManyFragments,
		"fragments_oversize":       ds.Oversize,
		"devices_over_cap":         snap.DevicesOverCap,
		"devices_evicted_unproven": snap.DevicesEvicted,
	} {
		if v > 0 {
			dropped[k] = v
		}
	}
	ps := s.dispatch.Stats()
	proto := output.ProtocolSummary{Flows: map[string]uint64{}, Unidentified: ps.Unidentified.Load()}
	for name, n := range ps.Identified {
		if v := n.Load(); v > 0 {
			proto.Flows[name] = v
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	clocks := []*captureClock{&s.clock}
	for _, l := range s.lanes {
		clocks = append(clocks, &l.clock)
	}
	start, end := span(clocks...)
	return &output.Summary{
		Runtime: output.RuntimeSummary{
			Mallocs: ms.Mallocs, GCCPUFraction: ms.GCCPUFraction, NumGC: ms.NumGC, HeapSysBytes: ms.HeapSys,
		},
		Packets:     cs.Packets,
		Bytes:       cs.Bytes,
		Flows:       cs.FlowsCreated,
		Devices:     len(snap.Devices),
		Messages:    snap.Messages,
		ParseErrors: snap.ParseErrors,
		Alerts:      raised,
		Suppressed:  held,
		Learning:    snap.Learning,
		Dropped:     dropped,
		Sensor:      s.cfg.Detect.Sensor,
		Start:       start,
		End:         end,
		Elapsed:     time.Since(s.started).Seconds(),
		Inputs:      s.problems,
		Protocols:   proto,
		TCP: output.TCPSummary{
			Gaps: cs.TCPGaps, GapBytes: cs.TCPGapBytes, OverlapBytes: cs.TCPOverlapBytes,
		},
		Inventory: snap.Devices,
	}
}
