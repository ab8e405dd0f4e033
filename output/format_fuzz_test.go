package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"labwatch/detect"
)

// corpusDir holds real public samples (HL7, ASTM …); their bytes make good
// hostile field content. Tests only read it and skip it when absent.
const corpusDir = "../../shared/corpus"

// FuzzFormat: any content in any alert field must render, in every format, as
// one line of valid syntax that the independent readers parse back, within
// MaxBytes when a limit is set.
func FuzzFormat(f *testing.F) {
	h := hostileAlert()
	f.Add(h.Summary, h.Device, h.Type, h.RuleID, "k", h.Summary, uint16(1), int64(0), uint16(0))
	f.Add("plain", "10.0.0.1", "new_device", "", "", "", uint16(80), int64(1772632992), uint16(700))
	f.Add(strings.Repeat("\\]", 900), "\x00", "", "", "=", "|", uint16(0), int64(-62135596800), uint16(2048))
	for _, s := range corpusSeeds() {
		f.Add(s, s, "protocol_anomaly", s, "x", s, uint16(2575), int64(1772632992), uint16(2048))
	}
	f.Fuzz(func(t *testing.T, summary, device, typ, rule, dkey, dval string, port uint16, unix int64, limit uint16) {
		a := &detect.Alert{
			TS: time.Unix(unix, 0), Type: typ, Severity: detect.SeverityHigh, Device: device,
			SrcIP: device, SrcPort: port, DstPort: port, App: rule, Summary: summary,
			Details: map[string]any{dkey: dval}, RuleID: rule, Count: int(port), ID: device + typ, Sensor: rule,
		}
		maxBytes := 0
		if limit > 0 {
			maxBytes = 512 + int(limit)%4096 // always room for the header
		}
		for _, format := range allFormats {
			fm := Formatter{Format: format, Facility: 16, AppName: "labwatch", Version: summary, MaxBytes: maxBytes}
			msg, err := fm.Append(nil, a)
			if err != nil {
				require.ErrorIs(t, err, ErrTooLarge)
				continue
			}
			if maxBytes > 0 {
				require.LessOrEqual(t, len(msg), maxBytes)
			}
			require.NotContains(t, string(msg), "\n")
			_, err = parseBack(format, msg)
			require.NoError(t, err, "%s: %q", format, msg)
		}
	})
}

// corpusSeeds returns the first bytes of a few corpus files, or nothing.
func corpusSeeds() []string {
	var out []string
	_ = filepath.WalkDir(corpusDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(out) >= 8 {
			return nil
		}
		b, err := os.ReadFile(path)
		if err == nil {
			out = append(out, string(b[:min(len(b), 3000)]))
		}
		return nil
	})
	return out
}

func BenchmarkFormat(b *testing.B) {
	a := baseAlert()
	for _, format := range allFormats {
		b.Run(format, func(b *testing.B) {
			fm := Formatter{Format: format, Facility: 20, AppName: "labwatch", Hostname: "sensor1", Version: "1.0", MaxBytes: DefaultStreamMaxBytes}
			buf, err := fm.Append(nil, a)
			require.NoError(b, err)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				buf, _ = fm.Append(buf[:0], a)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "alerts/s")
		})
	}
}
