package report

import (
	"fmt"
	"html/template"
	"labwatch/output"
	"sort"
	"strings"
	"time"

	"labwatch/detect"
)

// page is what the template renders: every value is already formatted text, so
// the template holds no logic beyond loops.
type page struct {
	Title, Sensor, Generated, Span string
	Refresh                        int
	Totals                         []kv
	Devices                        []deviceRow
	Alerts                         []alertRow
	AlertsOmitted                  uint64
	AlertTypes, Severities         []string
	Timeline                       template.HTML
	Map                            template.HTML
	MapCaption                     string
	Charts                         []chart
	ChartsOmitted                  int
	PHIPaths                       int
}

type kv struct{ K, V string }

type deviceRow struct {
	IP, MAC, Name, Role, Identities, Protocols string
	Trusted                                    bool
	BytesOut, BytesIn                          string
	BytesOutSort, BytesInSort                  uint64
	Messages                                   uint64
	First, Last                                string
	FirstSort, LastSort                        int64
	IPSort                                     string
}

type alertRow struct {
	TS, Type, Severity, Device, Peer, App, Summary string
	TSSort                                         int64
	SevRank                                        int
	Count                                          int
}

type chart struct {
	Device, Metric string
	SVG            template.HTML
}

var severityOrder = []string{"info", "low", "medium", "high", "critical"}

func sevRank(s string) int {
	for i, v := range severityOrder {
		if v == s {
			return i
		}
	}
	return 0
}

// buildPage turns Data into the page model, applying cfg's limits.
func buildPage(d *Data, cfg Config) *page {
	p := &page{Title: "labwatch report", Sensor: d.Sensor, Refresh: cfg.Refresh}
	if !d.Generated.IsZero() {
		p.Generated = fmtTime(d.Generated)
	}
	sum := d.Summary
	if sum != nil {
		if !sum.Start.IsZero() {
			p.Span = fmtTime(sum.Start) + " – " + fmtTime(sum.End)
		}
		p.Totals = []kv{
			{"packets", fmt.Sprint(sum.Packets)}, {"bytes", output.HumanBytes(sum.Bytes)},
			{"flows", fmt.Sprint(sum.Flows)}, {"devices", fmt.Sprint(sum.Devices)},
			{"alerts", fmt.Sprint(total(sum.Alerts))}, {"learning", fmt.Sprint(sum.Learning)},
		}
		for i := range sum.Inventory {
			p.Devices = append(p.Devices, newDeviceRow(&sum.Inventory[i]))
		}
	}
	p.buildAlerts(d, cfg)
	p.Map, p.MapCaption, p.PHIPaths = drawMap(d, cfg)
	p.buildCharts(d, cfg)
	return p
}

func total(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}

func newDeviceRow(dv *detect.Device) deviceRow {
	r := deviceRow{
		IP: dv.IP, MAC: dv.MAC, Name: dv.Name, Role: dv.Role, Trusted: dv.Trusted,
		Identities: strings.Join(dv.Identities, "; "), Protocols: strings.Join(protocolsOf(dv), " "),
		BytesOut: output.HumanBytes(dv.BytesOut), BytesIn: output.HumanBytes(dv.BytesIn), BytesOutSort: dv.BytesOut, BytesInSort: dv.BytesIn,
		First: fmtTime(dv.FirstSeen), Last: fmtTime(dv.LastSeen),
		FirstSort: dv.FirstSeen.Unix(), LastSort: dv.LastSeen.Unix(), IPSort: ipSortKey(dv.IP),
	}
	for _, n := range dv.Messages {
		r.Messages += n
	}
	return r
}

// protocolsOf lists the applications a device sent messages in, then the
// services it offered and used.
func protocolsOf(dv *detect.Device) []string {
	out := sortedKeys(dv.Messages)
	for _, k := range sortedKeys(dv.PortsServed) {
		out = append(out, "serves:"+k)
	}
	for _, k := range sortedKeys(dv.PortsUsed) {
		out = append(out, "uses:"+k)
	}
	return out
}

func (p *page) buildAlerts(d *Data, cfg Config) {
	alerts := d.Alerts
	p.AlertsOmitted = d.AlertsOmitted
	if len(alerts) > cfg.MaxAlerts {
		p.AlertsOmitted += uint64(len(alerts) - cfg.MaxAlerts)
		alerts = alerts[len(alerts)-cfg.MaxAlerts:]
	}
	types := map[string]bool{}
	for i := range alerts {
		a := &alerts[i]
		peer := a.DstIP
		if peer == a.Device {
			peer = a.SrcIP
		}
		p.Alerts = append(p.Alerts, alertRow{
			TS: fmtTime(a.TS), TSSort: a.TS.UnixMilli(), Type: a.Type, Severity: string(a.Severity),
			SevRank: sevRank(string(a.Severity)), Device: a.Device, Peer: peer, App: a.App,
			Summary: a.Summary, Count: max(a.Count, 1),
		})
		types[a.Type] = true
	}
	p.AlertTypes = sortedKeys(types)
	p.Severities = severityOrder
	p.Timeline = drawTimeline(p.Alerts)
}

func (p *page) buildCharts(d *Data, cfg Config) {
	if d.Summary == nil {
		return
	}
	devs := append([]detect.Device(nil), d.Summary.Inventory...)
	sort.SliceStable(devs, func(i, j int) bool {
		return devs[i].BytesOut+devs[i].BytesIn > devs[j].BytesOut+devs[j].BytesIn
	})
	for i := range devs {
		prof := d.Volumes[devs[i].IP]
		seen, hasSeen := d.Current.Seen[devs[i].IP]
		recent := d.Recent[devs[i].IP]
		if len(prof) == 0 && !hasSeen && len(recent) == 0 {
			continue
		}
		if len(p.Charts) == cfg.MaxCharts {
			p.ChartsOmitted++
			continue
		}
		metric, svg := drawVolume(prof, recent, d.Current, seen, hasSeen)
		p.Charts = append(p.Charts, chart{Device: devs[i].IP, Metric: metric, SVG: svg})
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// ipSortKey makes addresses sort numerically as text: each IPv4 octet padded.
func ipSortKey(ip string) string {
	parts := strings.Split(ip, ".")
	if len(parts) != 4 {
		return "~" + ip // IPv6 after IPv4
	}
	for i, s := range parts {
		parts[i] = fmt.Sprintf("%03s", s)
	}
	return strings.Join(parts, ".")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
