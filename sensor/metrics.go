package sensor

import (
	"github.com/prometheus/client_golang/prometheus"

	"labwatch/output"
)

const namespace = "labwatch"

// collector exposes the sensor's counters to Prometheus at scrape time, reading the
// atomics the packet path updates; nothing is done per packet for metrics.
type collector struct {
	s     *Sensor
	descs map[string]*prometheus.Desc
}

func desc(subsystem, name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(namespace, subsystem, name), help, labels, nil)
}

var metricDescs = map[string]*prometheus.Desc{
	"packets":          desc("capture", "packets_total", "Packets read."),
	"bytes":            desc("capture", "bytes_total", "Bytes read (wire length)."),
	"undecoded":        desc("capture", "undecoded_packets_total", "Packets not decoded to a flow, by reason.", "reason"),
	"flows":            desc("capture", "flows_total", "Flows created."),
	"flows_active":     desc("capture", "flows_active", "Flows in the flow table."),
	"emergency":        desc("capture", "emergency_total", "Flow-table emergency mode transitions, by transition (entered, left).", "transition"),
	"outages":          desc("capture", "outages_total", "Live captures that failed (interface gone, driver reset) and were reopened."),
	"evidence":         desc("capture", "evidence_files_total", "Evidence captures written, and requests refused by reason.", "outcome"),
	"evicted":          desc("capture", "flows_evicted_total", "Flows ended early because the flow table was full."),
	"gaps":             desc("capture", "tcp_gaps_total", "Holes in TCP streams reported to analyzers."),
	"gap_bytes":        desc("capture", "tcp_gap_bytes_total", "Bytes missing from TCP streams."),
	"overlap":          desc("capture", "tcp_overlap_bytes_total", "Retransmitted or overlapping TCP bytes trimmed."),
	"reasm_cap":        desc("capture", "reassembly_cap_hits_total", "Holes skipped early because the out-of-order buffer was full."),
	"packet_panics":    desc("capture", "packet_panics_total", "Panics outside analyzers (decoder, reassembly); the packet was dropped."),
	"panics":           desc("capture", "analyzer_panics_total", "Analyzer panics recovered; the flow's analysis was dropped."),
	"frag":             desc("capture", "ipv4_fragments_total", "IPv4 fragments, by outcome.", "outcome"),
	"kernel_drops":     desc("capture", "kernel_dropped_packets_total", "Packets the kernel dropped (live capture), by where.", "where"),
	"identified":       desc("protocols", "flows_identified_total", "TCP flows handed to an analyzer, by protocol.", "app"),
	"unidentified":     desc("protocols", "flows_unidentified_total", "TCP flows no analyzer took."),
	"messages":         desc("protocols", "messages_total", "Well-formed application messages, by protocol and type.", "app", "type"),
	"parse_errors":     desc("protocols", "parse_errors_total", "Parse errors and protocol violations, by protocol and reason.", "app", "reason"),
	"devices":          desc("detect", "devices", "Devices in the inventory."),
	"devices_cap":      desc("detect", "devices_over_cap_total", "Addresses not added because the inventory was full."),
	"detect_dropped":   desc("detect", "dropped_total", "What detection did not keep or do, by reason (a cap reached, a periodic baseline save that failed).", "reason"),
	"alerts":           desc("detect", "alerts_total", "Alerts delivered, by type.", "type"),
	"suppressed":       desc("rules", "suppressed_alerts_total", "Alerts held back, by reason (suppress, limit, threshold).", "reason"),
	"rule_alerts":      desc("rules", "alerts_total", "Alerts raised by each rule.", "rule"),
	"rule_eval_errors": desc("rules", "eval_errors_total", "Rule expressions that failed at run time."),
	"out_sent":         desc("output", "sent_total", "Alerts written to the output (syslog receiver or alert file).", "output"),
	"out_queued":       desc("output", "queued_total", "Alerts stored in the output's disk queue.", "output"),
	"out_retried":      desc("output", "retried_total", "Messages written again after a reconnect (the receiver may see duplicates).", "output"),
	"out_dropped":      desc("output", "dropped_total", "Alerts lost at a cap (queue or buffer full), unrenderable, or refused by the disk.", "output"),
	"out_disk_dropped": desc("output", "disk_dropped_total", "Alerts of dropped_total that the disk refused (full, read-only, I/O error).", "output"),
	"out_depth":        desc("output", "queue_messages", "Alerts waiting in the output's disk queue.", "output"),
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	counter := func(name string, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.CounterValue, float64(v), labels...)
	}
	gauge := func(name string, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.GaugeValue, v, labels...)
	}
	cs := c.s.captureCounters()
	counter("packets", cs.Packets)
	counter("bytes", cs.Bytes)
	for reason, v := range cs.Undecoded() {
		counter("undecoded", v, reason)
	}
	counter("flows", cs.FlowsCreated)
	counter("evicted", cs.FlowsEvicted)
	if ev := c.s.alerts.evidence; ev != nil {
		st := ev.Stats()
		counter("evidence", st.Files.Load(), "written")
		counter("evidence", st.RateLimited.Load(), "rate_limited")
		counter("evidence", st.DiskFull.Load(), "disk_full")
		counter("evidence", st.NoRing.Load(), "no_ring")
		counter("evidence", st.Unmatched.Load(), "unmatched")
		counter("evidence", st.Errors.Load(), "error")
	}
	counter("outages", c.s.outages.Load())
	counter("emergency", cs.EmergencyEntered, "entered")
	counter("emergency", cs.EmergencyLeft, "left")
	gauge("flows_active", float64(cs.FlowsActive))
	counter("gaps", cs.TCPGaps)
	counter("gap_bytes", cs.TCPGapBytes)
	counter("overlap", cs.TCPOverlapBytes)
	counter("reasm_cap", cs.ReassemblyCapHits)
	counter("panics", cs.AnalyzerPanics)
	counter("packet_panics", cs.PacketPanics)
	ds := c.s.defragStats()
	for outcome, v := range map[string]uint64{
		"received": ds.Fragments, "reassembled": ds.Reassembled, "timed_out": ds.TimedOut,
		"evicted": ds.EvictedAtCap, "overlap": ds.Overlaps, "too_many": ds.TooManyFragments,
		"oversize": ds.Oversize,
	} {
		counter("frag", v, outcome)
	}
	if c.s.liveDrops != nil {
		k, i := c.s.liveDrops()
		counter("kernel_drops", k, "buffer")
		counter("kernel_drops", i, "interface")
	}
	outputCounters := func(name string, st *output.OutputStats) {
		counter("out_sent", st.Sent.Load(), name)
		counter("out_dropped", st.Dropped.Load(), name)
		counter("out_disk_dropped", st.DiskDropped.Load(), name)
	}
	for _, o := range c.s.outputs {
		st := o.Stats()
		outputCounters(o.Name(), st)
		counter("out_queued", st.Queued.Load(), o.Name())
		counter("out_retried", st.Retried.Load(), o.Name())
		depth, _ := o.QueueDepth()
		gauge("out_depth", float64(depth), o.Name())
	}
	if c.s.alertFile != nil {
		outputCounters(alertFileOutput, c.s.alertFile.Stats())
	}
	ps := c.s.dispatch.Stats()
	for app, n := range ps.Identified {
		counter("identified", n.Load(), app)
	}
	counter("unidentified", ps.Unidentified.Load())

	snap := c.s.detect.Snapshot()
	for app, byType := range snap.Messages {
		for t, v := range byType {
			counter("messages", v, app, t)
		}
	}
	for app, byReason := range snap.ParseErrors {
		for r, v := range byReason {
			counter("parse_errors", v, app, r)
		}
	}
	raised, held, rs := c.s.alerts.snapshot()
	for t, v := range raised {
		counter("alerts", v, t)
	}
	for reason, v := range held {
		counter("suppressed", v, reason)
	}
	for id, v := range rs.ByRule {
		counter("rule_alerts", v, id)
	}
	counter("rule_eval_errors", rs.EvalErrors)
	gauge("devices", float64(len(snap.Devices)))
	counter("devices_cap", snap.DevicesOverCap)
	for reason, v := range snap.Dropped {
		counter("detect_dropped", v, reason)
	}
}

// RegisterMetrics registers the sensor's metrics.
func (s *Sensor) RegisterMetrics(reg prometheus.Registerer) error {
	return reg.Register(&collector{s: s, descs: metricDescs})
}
