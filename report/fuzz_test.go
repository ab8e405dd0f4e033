package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"labwatch/detect"
	"labwatch/output"
)

// FuzzWriteHTML puts arbitrary text into every field a page shows (wire
// identities, configured names, alert summaries, edge applications) and checks
// that rendering never fails, and that no input adds markup: the page keeps its
// one script and every value stays text.
func FuzzWriteHTML(f *testing.F) {
	for _, s := range []string{"", "lis01", "<script>x</script>", `"><img src=x onerror=y>`, "]]>--><!--", "\x00\xff\xfe", "javascript:x()", "{{.}}"} {
		f.Add(s, s, "10.40.1.10", int64(0))
	}
	f.Fuzz(func(t *testing.T, name, summary, ip string, ts int64) {
		when := time.Unix(ts%(1<<40), 0)
		d := &Data{
			Sensor: name,
			Summary: &output.Summary{Inventory: []detect.Device{{
				IP: ip, Name: name, Role: summary, MAC: name, Identities: []string{name, summary},
				Messages: map[string]uint64{name: 1}, PortsServed: map[string]uint64{summary: 2}, FirstSeen: when, LastSeen: when,
			}}},
			Alerts: []detect.Alert{{TS: when, Type: name, Severity: detect.Severity(summary), Device: ip, Summary: summary, App: name}},
			Edges:  []detect.Edge{{Client: ip, Server: name, Apps: []string{summary}, PHIKinds: []string{name}, CleartextPHI: true}},
			Volumes: map[string][]detect.HourVolume{ip: {{DayType: name, Hour: int(ts % 30), Learned: 2,
				Mean: [6]float64{float64(ts)}, SD: [6]float64{-1}, Max: [6]float64{1e300}}}},
			Current: detect.OpenHour{DayType: name, Hour: int(ts % 25), Seen: map[string][6]float64{ip: {float64(ts)}}},
		}
		var b bytes.Buffer
		if err := WriteHTML(&b, d); err != nil {
			t.Fatalf("render: %v", err)
		}
		html := strings.ToLower(b.String())
		if n := strings.Count(html, "<script"); n != 1 {
			t.Fatalf("%d script tags", n)
		}
		for _, bad := range []string{"<img", "<iframe", "<object"} {
			if strings.Contains(html, bad) {
				t.Fatalf("markup %q from input", bad)
			}
		}
	})
}

// FuzzReadInventory: any input is either read or refused with an error that
// quotes none of it; never a panic.
func FuzzReadInventory(f *testing.F) {
	b, _ := json.Marshal(sampleDevices())
	f.Add(b)
	f.Add([]byte(`{"device_inventory":[{"ip":"10.0.0.1"}]}`))
	f.Add([]byte(`[{"ip": 1}]`))
	if golden, err := os.ReadFile(filepath.Join("testdata", "golden", "demo.json")); err == nil {
		f.Add(golden)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		devs, err := ReadInventory(bytes.NewReader(in))
		if err != nil {
			if len(in) >= 8 && strings.Contains(err.Error(), string(in)) {
				t.Fatalf("error quotes the input")
			}
			return
		}
		var out bytes.Buffer
		if err := WriteInventoryCSV(&out, devs); err != nil {
			t.Fatalf("csv: %v", err)
		}
	})
}
