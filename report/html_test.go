package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/output"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

// pageFacts are the counts and fields a golden file pins.
type pageFacts struct {
	DeviceRows    int            `json:"device_rows"`
	DeviceIPs     []string       `json:"device_ips"`
	MapNodes      int            `json:"map_nodes"`
	MapEdges      int            `json:"map_edges"`
	MapPHIEdges   int            `json:"map_phi_edges"`
	AlertRows     int            `json:"alert_rows"`
	AlertsByType  map[string]int `json:"alerts_by_type"`
	TimelineDots  int            `json:"timeline_dots"`
	VolumeCharts  int            `json:"volume_charts"`
	ScriptTags    int            `json:"script_tags"`
	SeverityFirst string         `json:"first_alert_severity"`
}

var (
	reDeviceIP = regexp.MustCompile(`<tr class="device[^"]*">\s*<td data-sort="[^"]*">([^<]*)</td>`)
	reAlertRow = regexp.MustCompile(`<tr class="alert sev-([a-z]+)" data-type="([a-z_]+)"`)
)

func factsOf(html string) pageFacts {
	f := pageFacts{AlertsByType: map[string]int{}}
	for _, m := range reDeviceIP.FindAllStringSubmatch(html, -1) {
		f.DeviceIPs = append(f.DeviceIPs, m[1])
	}
	f.DeviceRows = strings.Count(html, `<tr class="device`)
	f.MapNodes = strings.Count(html, `<g class="node`)
	f.MapEdges = strings.Count(html, `<g class="edge`)
	f.MapPHIEdges = strings.Count(html, `<g class="edge phi`)
	for i, m := range reAlertRow.FindAllStringSubmatch(html, -1) {
		if i == 0 {
			f.SeverityFirst = m[1]
		}
		f.AlertsByType[m[2]]++
		f.AlertRows++
	}
	f.TimelineDots = strings.Count(html, `<circle class="tl `)
	f.VolumeCharts = strings.Count(html, `<figure class="chart">`)
	f.ScriptTags = strings.Count(strings.ToLower(html), "<script")
	return f
}

func render(t testing.TB, d *Data) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, d))
	return b.String()
}

func TestWriteHTMLDemoGolden(t *testing.T) {
	t.Setenv("TZ", "UTC")
	d, _ := runDemo(t, demoOptions())
	html := render(t, d)
	got := factsOf(html)

	// Counts follow the data, whatever the golden file says.
	assert.Equal(t, len(d.Summary.Inventory), got.DeviceRows)
	assert.Equal(t, len(d.Alerts), got.AlertRows)
	assert.Equal(t, len(d.Alerts), got.TimelineDots)
	phi := 0
	for _, e := range d.Edges {
		if e.CleartextPHI {
			phi++
		}
	}
	assert.Equal(t, phi, got.MapPHIEdges, "every clear-text PHI path is drawn")
	assert.Positive(t, phi)
	assert.Equal(t, len(d.Edges), got.MapEdges)
	assert.Positive(t, got.VolumeCharts)
	assert.Equal(t, 1, got.ScriptTags, "only the embedded script")

	path := filepath.Join("testdata", "golden", "demo.json")
	if *update {
		b, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./report -run Golden -update")
	var want pageFacts
	require.NoError(t, json.Unmarshal(b, &want))
	assert.Equal(t, want, got)
}

// TestWriteHTMLFetchesNothing: the page works offline — no URL, no external
// source, and a policy that forbids any.
func TestWriteHTMLFetchesNothing(t *testing.T) {
	d, _ := runDemo(t, demoOptions())
	html := render(t, d)
	lower := strings.ToLower(html)
	for _, bad := range []string{"http://", "https://", "//cdn", "src=\"", "@import", "url(http", "fetch(", "xmlhttprequest", "<link", "<iframe"} {
		assert.NotContains(t, lower, bad)
	}
	assert.Contains(t, html, `Content-Security-Policy" content="default-src 'none'`)
}

func TestWriteHTMLEscapesHostileValues(t *testing.T) {
	d := &Data{
		Sensor: `<b>s</b>`,
		Summary: &output.Summary{Inventory: []detect.Device{{
			IP: "10.0.0.1", Name: `<script>alert(1)</script>`, Identities: []string{`hl7 sender "><img onerror=x>`},
		}}},
		Alerts: []detect.Alert{{Type: "rule", Severity: "high", Device: "10.0.0.1", Summary: `</td><script>x()</script>`}},
		Edges:  []detect.Edge{{Client: "10.0.0.1", Server: `"/><script>`, Apps: []string{"<svg onload=x>"}, CleartextPHI: true}},
	}
	html := render(t, d)
	assert.Equal(t, 1, strings.Count(strings.ToLower(html), "<script"))
	assert.NotContains(t, html, "<img")
	assert.NotContains(t, html, "<svg onload")
	assert.NotContains(t, html, "<b>s</b>")
	assert.Contains(t, html, "&lt;script&gt;alert(1)&lt;/script&gt;")
}

func TestWriteHTMLLimits(t *testing.T) {
	d, _ := runDemo(t, demoOptions())
	var b bytes.Buffer
	require.NoError(t, WriteHTMLConfig(&b, d, Config{MaxMapNodes: 3, MaxMapEdges: 2, MaxAlerts: 4, MaxCharts: 1}))
	got := factsOf(b.String())
	assert.Equal(t, 3, got.MapNodes)
	assert.LessOrEqual(t, got.MapEdges, 2)
	assert.Equal(t, 4, got.AlertRows)
	assert.Equal(t, 1, got.VolumeCharts)
	assert.Contains(t, b.String(), "Not drawn: ")
	assert.Contains(t, b.String(), "older not kept")
	assert.Contains(t, b.String(), "quieter devices not charted")
}

func TestWriteHTMLEmptyData(t *testing.T) {
	for name, d := range map[string]*Data{"nil": nil, "empty": {}, "no summary": {Alerts: []detect.Alert{{Type: "scan"}}}} {
		t.Run(name, func(t *testing.T) {
			html := render(t, d)
			assert.Contains(t, html, "</html>")
		})
	}
}

func TestAlertLogKeepsTheLastAlerts(t *testing.T) {
	cases := []struct {
		size, add   int
		wantKept    int
		wantOmitted uint64
	}{
		{size: 3, add: 0, wantKept: 0},
		{size: 3, add: 2, wantKept: 2},
		{size: 3, add: 3, wantKept: 3},
		{size: 3, add: 10, wantKept: 3, wantOmitted: 7},
	}
	for _, c := range cases {
		l := NewAlertLog(c.size)
		base := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		for i := 0; i < c.add; i++ {
			l.Add(&detect.Alert{TS: base.Add(time.Duration(i) * time.Second)})
		}
		l.Add(nil)
		kept, omitted := l.Snapshot()
		require.Len(t, kept, c.wantKept)
		assert.Equal(t, c.wantOmitted, omitted)
		assert.True(t, sort.SliceIsSorted(kept, func(i, j int) bool { return kept[i].TS.Before(kept[j].TS) }), "oldest first")
		if c.add > 0 {
			assert.Equal(t, base.Add(time.Duration(c.add-1)*time.Second), kept[len(kept)-1].TS, "newest kept")
		}
	}
}
