package output

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files")

var allFormats = []string{FormatRFC5424, FormatRFC3164, FormatCEF, FormatLEEF, FormatJSON}

func baseAlert() *detect.Alert {
	return &detect.Alert{
		TS:   time.Date(2026, 3, 4, 14, 3, 12, 123456000, time.UTC),
		Type: detect.AlertNewPeer, Severity: detect.SeverityMedium,
		Device: "10.40.1.22", SrcIP: "10.40.1.22", SrcPort: 51515,
		DstIP: "198.51.100.23", DstPort: 8080, Transport: "tcp", App: "hl7",
		Summary: "10.40.1.22 talks HL7 to 198.51.100.23:8080, never seen during learning",
		Details: map[string]any{"peer": "198.51.100.23", "first_seen": "2026-03-04T14:03:12Z"},
		ID:      "lab1-000042", Sensor: "lab1",
	}
}

// hostile is the alert the issue asks for: every separator of every format, line
// breaks, non-ASCII and invalid UTF-8 in every text field.
func hostileAlert() *detect.Alert {
	const nasty = "a|b=c\\d]e\"f\ng\rh\ti é 漢字 \xff\xfe [x@1 k=\"v\"] CEF:0|x LEEF:2.0|"
	a := baseAlert()
	a.Type, a.Device, a.App, a.RuleID = "rule|"+nasty, nasty, nasty, nasty
	a.Summary = nasty
	a.Details = map[string]any{"k=|\\]": nasty}
	a.Count = 7
	return a
}

func TestFormatRoundTrip(t *testing.T) {
	cases := []struct {
		name  string
		alert *detect.Alert
	}{
		{"plain", baseAlert()},
		{"hostile", hostileAlert()},
		{"ipv6", func() *detect.Alert {
			a := baseAlert()
			a.SrcIP, a.DstIP, a.Device = "fd00::22", "2001:db8::1", "fd00::22"
			return a
		}()},
		{"empty", &detect.Alert{}},
		{"critical rule", func() *detect.Alert {
			a := baseAlert()
			a.Type, a.Severity, a.RuleID, a.Count = detect.AlertRule, detect.SeverityCritical, "R-7", 3
			return a
		}()},
	}
	for _, tc := range cases {
		for _, f := range allFormats {
			t.Run(tc.name+"/"+f, func(t *testing.T) {
				msg, err := Format(tc.alert, f)
				require.NoError(t, err)
				checkOneLine(t, msg)
				p, err := parseBack(f, msg)
				require.NoError(t, err, "%s", msg)
				assert.Equal(t, 20*8+syslogSeverity(tc.alert.Severity), p.pri)
				assert.Equal(t, tc.alert.ID, p.fields["id"])
				assert.Equal(t, tc.alert.SrcIP, p.fields["src_ip"])
				assert.Equal(t, oneLineOr(f, tc.alert.Device), p.fields["device"])
				assert.Equal(t, oneLine(tc.alert.Summary), p.summary)
				if tc.alert.RuleID != "" {
					assert.Equal(t, oneLineOr(f, tc.alert.RuleID), p.fields["rule_id"])
				}
			})
		}
	}
}

// oneLineOr is what a field reads back as: CEF keeps line breaks (escaped).
func oneLineOr(format, s string) string {
	return cleanValue(s, format == FormatCEF)
}

func checkOneLine(t *testing.T, msg []byte) {
	t.Helper()
	assert.True(t, utf8.Valid(msg), "invalid UTF-8")
	assert.NotContains(t, string(msg), "\n")
	assert.NotContains(t, string(msg), "\r")
}

func TestFormatUnknown(t *testing.T) {
	_, err := Format(baseAlert(), "xml")
	require.ErrorIs(t, err, ErrUnknownFormat)
}

func TestFormatEscapes(t *testing.T) {
	a := baseAlert()
	a.Summary = `x|y\z`
	a.Device = `d=e\f]g"h`
	cases := []struct{ format, want string }{
		{FormatRFC5424, `device="d=e\\f\]g\"h"`},
		{FormatRFC3164, `device="d=e\\f]g\"h"`},
		{FormatCEF, `|x\|y\\z|5|`},
		{FormatCEF, `cs2=d\=e\\f]g"h cs2Label=device`},
		{FormatLEEF, "\tdevice=d=e\\f]g\"h\t"},
	}
	for _, tc := range cases {
		msg, err := Format(a, tc.format)
		require.NoError(t, err)
		assert.Contains(t, string(msg), tc.want, tc.format)
	}
}

func TestFormatCEFKeepsLineBreaksEscaped(t *testing.T) {
	a := baseAlert()
	a.Device = "two\nlines\r"
	msg, err := Format(a, FormatCEF)
	require.NoError(t, err)
	assert.Contains(t, string(msg), `cs2=two\nlines\r cs2Label`)
}

func TestFormatSizeLimit(t *testing.T) {
	big := strings.Repeat("é|=\\]\"x", 10<<10/9)
	a := hostileAlert()
	a.Summary = big
	a.Details = map[string]any{"blob": big}
	for _, limit := range []int{UDPMaxBytes, DefaultStreamMaxBytes, 600} {
		for _, f := range allFormats {
			fm := Formatter{Format: f, Facility: 20, AppName: "labwatch", Version: "1", MaxBytes: limit}
			msg, err := fm.Append(nil, a)
			require.NoError(t, err, f)
			assert.LessOrEqual(t, len(msg), limit, f)
			checkOneLine(t, msg)
			p, err := parseBack(f, msg)
			require.NoError(t, err, "%s: %s", f, msg)
			assert.Equal(t, "true", p.fields["truncated"], f)
			assert.True(t, strings.HasPrefix(oneLine(big), p.summary), f)
		}
	}
	// Every other field huge too: still fits, still parses.
	for _, f := range allFormats {
		b := hostileAlert()
		b.Device, b.ID, b.Sensor, b.App, b.RuleID, b.Summary = big, big, big, big, big, big
		fm := Formatter{Format: f, AppName: "labwatch", MaxBytes: UDPMaxBytes}
		msg, err := fm.Append(nil, b)
		require.NoError(t, err, f)
		assert.LessOrEqual(t, len(msg), UDPMaxBytes)
		_, err = parseBack(f, msg)
		require.NoError(t, err, "%s: %s", f, msg)
	}
}

func TestFormatUnencodableDetails(t *testing.T) {
	a := baseAlert()
	a.Details = map[string]any{"c": make(chan int)}
	for _, f := range allFormats {
		msg, err := Format(a, f)
		require.NoError(t, err)
		_, err = parseBack(f, msg)
		require.NoError(t, err, f)
		assert.Contains(t, string(msg), "unencodable")
	}
}

// TestFormatGolden pins the exact bytes of each format for two alerts; rewrite
// with go test ./output -run Golden -update after a deliberate change.
func TestFormatGolden(t *testing.T) {
	got := map[string]map[string]string{}
	for name, a := range map[string]*detect.Alert{"plain": baseAlert(), "hostile": hostileAlert()} {
		got[name] = map[string]string{}
		for _, f := range allFormats {
			msg, err := Format(a, f)
			require.NoError(t, err)
			got[name][f] = string(msg)
		}
	}
	path := filepath.Join("testdata", "golden", "formats.json")
	if *update {
		b, err := json.MarshalIndent(got, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, append(b, '\n'), 0o644))
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to create")
	var want map[string]map[string]string
	require.NoError(t, json.Unmarshal(b, &want))
	require.Len(t, got, len(want))
	for name := range want {
		for _, f := range allFormats {
			assert.Equal(t, want[name][f], got[name][f], "%s/%s", name, f)
		}
	}
}
