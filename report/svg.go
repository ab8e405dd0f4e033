package report

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"labwatch/detect"
)

// svg accumulates markup; every text that came from data goes through text().
type svg struct{ b strings.Builder }

func (s *svg) f(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

// text escapes a value for use in element content or a quoted attribute.
func text(v string) string { return template.HTMLEscapeString(v) }

func (s *svg) html() template.HTML { return template.HTML(s.b.String()) } //nolint:gosec // built from escaped parts

// wellKnown names the service of a port when the path's application is not
// known from its messages.
var wellKnown = map[uint16]string{
	2575: "hl7", 6661: "hl7", 5000: "astm", 9100: "zpl", 104: "dicom", 11112: "dicom", 2762: "dicom-tls",
	443: "https", 6443: "https", 80: "http", 8080: "http", 53: "dns", 67: "dhcp", 68: "dhcp",
	21: "ftp", 23: "telnet", 22: "ssh", 123: "ntp", 445: "smb", 3389: "rdp",
}

func serviceOf(e *detect.Edge) string {
	if len(e.Apps) > 0 {
		return strings.Join(e.Apps, ",")
	}
	if n, ok := wellKnown[e.Port]; ok {
		return n
	}
	if e.Port == 0 {
		return e.Transport + "/ephemeral"
	}
	return fmt.Sprintf("%s/%d", e.Transport, e.Port)
}

type mapNode struct {
	addr, label string
	trusted     bool
	weight      uint64
	x, y        float64
}

// drawMap lays the busiest hosts on two circles (devices in the trusted
// networks inside, outside peers around them) and draws the learned paths,
// clear-text PHI paths in red.
func drawMap(d *Data, cfg Config) (template.HTML, string, int) {
	nodes := map[string]*mapNode{}
	if d.Summary != nil {
		for _, dv := range d.Summary.Inventory {
			label := dv.IP
			if dv.Name != "" {
				label += " " + dv.Name
			}
			nodes[dv.IP] = &mapNode{addr: dv.IP, label: label, trusted: dv.Trusted, weight: dv.BytesIn + dv.BytesOut}
		}
	}
	phi := 0
	for i := range d.Edges {
		e := &d.Edges[i]
		if e.CleartextPHI {
			phi++
		}
		for _, end := range [...]struct {
			a       string
			trusted bool
		}{{e.Client, e.ClientTrusted}, {e.Server, e.ServerTrusted}} {
			n := nodes[end.a]
			if n == nil {
				n = &mapNode{addr: end.a, label: end.a, trusted: end.trusted}
				nodes[end.a] = n
			}
			n.weight += uint64(e.Flows)
		}
	}
	all := make([]*mapNode, 0, len(nodes))
	for _, n := range nodes {
		all = append(all, n)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].weight != all[j].weight {
			return all[i].weight > all[j].weight
		}
		return all[i].addr < all[j].addr
	})
	hiddenNodes := 0
	if len(all) > cfg.MaxMapNodes {
		hiddenNodes = len(all) - cfg.MaxMapNodes
		all = all[:cfg.MaxMapNodes]
	}
	drawn := map[string]*mapNode{}
	var inner, outer []*mapNode
	for _, n := range all {
		drawn[n.addr] = n
		if n.trusted {
			inner = append(inner, n)
		} else {
			outer = append(outer, n)
		}
	}
	const size, cx, cy = 900.0, 450.0, 450.0
	place(inner, cx, cy, 260)
	place(outer, cx, cy, 400)

	edges := make([]*detect.Edge, 0, len(d.Edges))
	for i := range d.Edges {
		e := &d.Edges[i]
		if drawn[e.Client] != nil && drawn[e.Server] != nil {
			edges = append(edges, e)
		}
	}
	// PHI paths first, so that the cap never hides one while plain paths show.
	sort.SliceStable(edges, func(i, j int) bool { return edges[i].CleartextPHI && !edges[j].CleartextPHI })
	hiddenEdges := len(d.Edges) - len(edges)
	if len(edges) > cfg.MaxMapEdges {
		hiddenEdges += len(edges) - cfg.MaxMapEdges
		edges = edges[:cfg.MaxMapEdges]
	}

	var s svg
	s.f(`<svg id="map" viewBox="0 0 %.0f %.0f" role="img" aria-label="communication map">`, size, size)
	s.f(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs>`)
	for i := len(edges) - 1; i >= 0; i-- { // PHI drawn last, on top
		e := edges[i]
		a, b := drawn[e.Client], drawn[e.Server]
		class := "edge"
		if e.CleartextPHI {
			class += " phi"
		}
		if e.Credentials {
			class += " cred"
		}
		svc := serviceOf(e)
		title := fmt.Sprintf("%s → %s %s (%s) %d flows", e.Client, e.Server, svc, serviceLabel(e), e.Flows)
		if e.CleartextPHI {
			title += "; clear-text patient identifiers: " + strings.Join(e.PHIKinds, ", ")
		}
		if e.Credentials {
			title += "; clear-text credentials"
		}
		s.f(`<g class="%s" data-app="%s"><title>%s</title><line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" marker-end="url(#arrow)"/>`,
			class, text(svc), text(title), a.x, a.y, b.x, b.y)
		s.f(`<text class="elabel" x="%.1f" y="%.1f">%s</text></g>`, (a.x+b.x)/2, (a.y+b.y)/2, text(svc))
	}
	for _, n := range all {
		class := "node"
		if !n.trusted {
			class += " outside"
		}
		s.f(`<g class="%s" data-ip="%s"><title>%s</title><circle cx="%.1f" cy="%.1f" r="7"/><text x="%.1f" y="%.1f">%s</text></g>`,
			class, text(n.addr), text(n.label), n.x, n.y, n.x+9, n.y-9, text(n.label))
	}
	s.f(`</svg>`)
	caption := fmt.Sprintf("%d hosts and %d paths drawn; %d clear-text PHI paths (red).", len(all), len(edges), phi)
	if hiddenNodes > 0 || hiddenEdges > 0 {
		caption += fmt.Sprintf(" Not drawn: %d quieter hosts, %d paths.", hiddenNodes, hiddenEdges)
	}
	return s.html(), caption, phi
}

func serviceLabel(e *detect.Edge) string {
	if e.Port == 0 {
		return e.Transport + "/ephemeral"
	}
	return fmt.Sprintf("%s/%d", e.Transport, e.Port)
}

// place spreads nodes evenly on a circle, in address order so that a node
// keeps its place from one refresh to the next as far as possible.
func place(nodes []*mapNode, cx, cy, r float64) {
	sort.Slice(nodes, func(i, j int) bool { return ipSortKey(nodes[i].addr) < ipSortKey(nodes[j].addr) })
	for i, n := range nodes {
		angle := 2*math.Pi*float64(i)/float64(max(len(nodes), 1)) - math.Pi/2
		n.x, n.y = cx+r*math.Cos(angle), cy+r*math.Sin(angle)
	}
}

// drawTimeline puts one dot per alert on a time axis, one lane per severity.
func drawTimeline(rows []alertRow) template.HTML {
	const w, left, lane = 900.0, 70.0, 22.0
	h := lane*float64(len(severityOrder)) + 30
	var s svg
	s.f(`<svg id="timeline" viewBox="0 0 %.0f %.0f" role="img" aria-label="alert timeline">`, w, h)
	for i, sev := range severityOrder {
		y := h - 30 - lane*float64(i) - lane/2
		s.f(`<text class="lane" x="4" y="%.1f">%s</text><line class="grid" x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f"/>`, y+4, sev, left, y, w-10, y)
	}
	if len(rows) > 0 {
		lo, hi := rows[0].TSSort, rows[0].TSSort
		for _, r := range rows {
			lo, hi = min(lo, r.TSSort), max(hi, r.TSSort)
		}
		span := float64(max(hi-lo, 1))
		for _, r := range rows {
			x := left + (w-left-20)*float64(r.TSSort-lo)/span
			y := h - 30 - lane*float64(r.SevRank) - lane/2
			s.f(`<circle class="tl sev-%s" data-type="%s" data-sev="%s" cx="%.1f" cy="%.1f" r="5"><title>%s %s %s</title></circle>`,
				text(r.Severity), text(r.Type), text(r.Severity), x, y, text(r.TS), text(r.Type), text(r.Device))
		}
		s.f(`<text class="axis" x="%.0f" y="%.0f">%s</text>`, left, h-8, text(rows[0].TS))
		s.f(`<text class="axis" x="%.0f" y="%.0f" text-anchor="end">%s</text>`, w-10, h-8, text(rows[len(rows)-1].TS))
	}
	s.f(`</svg>`)
	return s.html()
}

// drawVolume charts one device's learned hour-of-day profile for the day type
// of the open hour (else of its latest observed hour, else weekday): the mean
// as bars, mean + 2 SD as a whisker, the learned maximum as a tick, the latest
// observed value of each hour of day as a hollow dot, and the open hour as a
// filled dot.
func drawVolume(prof []detect.HourVolume, recent []detect.ObservedHour, cur detect.OpenHour, seen [len(detect.Metrics)]float64, hasSeen bool) (string, template.HTML) {
	day := cur.DayType
	if day == "" && len(recent) > 0 {
		day = recent[len(recent)-1].DayType
	}
	if day == "" {
		day = "weekday"
	}
	if !hasSeen && len(recent) > 0 {
		// Nothing open (a finished replay): pick the metric from what was seen.
		seen = recent[len(recent)-1].Seen
	}
	m := pickMetric(prof, seen)
	var observed [24]*detect.ObservedHour // latest per hour of day
	for i := range recent {
		if recent[i].DayType == day && recent[i].Hour >= 0 && recent[i].Hour < 24 {
			observed[recent[i].Hour] = &recent[i]
		}
	}
	var slots [24]*detect.HourVolume
	for i := range prof {
		if prof[i].DayType == day && prof[i].Hour >= 0 && prof[i].Hour < 24 {
			slots[prof[i].Hour] = &prof[i]
		}
	}
	top := 1.0
	for _, v := range slots {
		if v != nil {
			top = math.Max(top, math.Max(v.Max[m], v.Mean[m]+2*v.SD[m]))
		}
	}
	if hasSeen {
		top = math.Max(top, seen[m])
	}
	for _, o := range observed {
		if o != nil {
			top = math.Max(top, o.Seen[m])
		}
	}
	const w, h, left, bottom = 480.0, 130.0, 40.0, 18.0
	bw := (w - left - 4) / 24
	y := func(v float64) float64 { return h - bottom - (h-bottom-6)*v/top }
	var s svg
	s.f(`<svg class="volume" viewBox="0 0 %.0f %.0f" role="img">`, w, h)
	s.f(`<text class="axis" x="2" y="12">%s</text><text class="axis" x="2" y="%.0f">0</text>`, text(shortNum(top)), h-bottom)
	for hr := 0; hr < 24; hr++ {
		x := left + bw*float64(hr)
		if hr%6 == 0 {
			s.f(`<text class="axis" x="%.1f" y="%.0f">%02d</text>`, x, h-4, hr)
		}
		v := slots[hr]
		if v == nil {
			continue
		}
		mean, hi := v.Mean[m], v.Mean[m]+2*v.SD[m]
		s.f(`<rect class="mean" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%02d:00 learned %d h: mean %s, sd %s, max %s</title></rect>`,
			x+1, y(mean), bw-2, h-bottom-y(mean), hr, v.Learned, shortNum(mean), shortNum(v.SD[m]), shortNum(v.Max[m]))
		s.f(`<line class="band" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x+bw/2, y(mean), x+bw/2, y(hi))
		s.f(`<line class="max" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x+2, y(v.Max[m]), x+bw-2, y(v.Max[m]))
	}
	for hr, o := range observed {
		if o != nil {
			s.f(`<circle class="observed" cx="%.1f" cy="%.1f" r="3"><title>%s: %s</title></circle>`,
				left+bw*float64(hr)+bw/2, y(o.Seen[m]), o.Start.UTC().Format("2006-01-02 15:04Z"), shortNum(o.Seen[m]))
		}
	}
	if hasSeen && cur.Hour >= 0 && cur.Hour < 24 {
		x := left + bw*float64(cur.Hour) + bw/2
		s.f(`<circle class="seen" cx="%.1f" cy="%.1f" r="4"><title>open hour %02d:00: %s so far</title></circle>`, x, y(seen[m]), cur.Hour, shortNum(seen[m]))
	}
	s.f(`</svg>`)
	return detect.Metrics[m] + " (" + day + ")", s.html()
}

// pickMetric charts messages sent when the device sends any, else the first
// metric with any volume.
func pickMetric(prof []detect.HourVolume, seen [len(detect.Metrics)]float64) int {
	for m := range detect.Metrics {
		if seen[m] > 0 {
			return m
		}
		for i := range prof {
			if prof[i].Mean[m] > 0 {
				return m
			}
		}
	}
	return 0
}

func shortNum(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}
