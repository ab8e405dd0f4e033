package output

import (
	"encoding/json"
	"fmt"
	"strconv"

	"labwatch/detect"
)

// Syslog payload formats accepted in SyslogConfig.Format and --syslog-format.
const (
	FormatRFC5424 = "rfc5424"
	FormatRFC3164 = "rfc3164"
	FormatCEF     = "cef"
	FormatLEEF    = "leef"
	FormatJSON    = "json"
)

// Formatter renders alerts as complete syslog messages (header and payload,
// without transport framing). It is a value with no state: safe to share.
type Formatter struct {
	Format   string // one of the Format* constants
	Facility int    // syslog facility number, 0..23
	AppName  string // RFC 5424 APP-NAME, RFC 3164 TAG
	Hostname string // header HOSTNAME; empty uses the alert's sensor id
	Version  string // product version in the CEF and LEEF headers
	MaxBytes int    // cap on the message size; 0 means none
}

// Format renders a with default header settings (facility local4, app name
// "labwatch", the sensor id as host name) and no size limit.
func Format(a *detect.Alert, format string) ([]byte, error) {
	f := Formatter{Format: format, Facility: DefaultFacility, AppName: DefaultAppName, Version: DefaultVersion}
	return f.Append(nil, a)
}

// limits says how much of an alert still fits; the fitting loop in Append tightens
// them one step at a time until the message is under MaxBytes.
type limits struct {
	summary   int  // bytes of the summary kept; -1 all
	field     int  // bytes kept of every other text field; -1 all
	details   bool // details included
	truncated bool // some content was cut: the message says so
}

var fieldSteps = []int{256, 64, 16, 0}

// Append renders a onto dst. When MaxBytes is set and the full message is
// larger, details are dropped first, then the summary is shortened, then the other
// fields, so the result is always complete, valid syntax marked truncated.
func (f Formatter) Append(dst []byte, a *detect.Alert) ([]byte, error) {
	if !knownFormat(f.Format) {
		return dst, ErrUnknownFormat
	}
	start := len(dst)
	lim := limits{summary: -1, field: -1, details: true}
	step := 0
	for {
		out := f.render(dst[:start], a, lim)
		size := len(out) - start
		if f.MaxBytes <= 0 || size <= f.MaxBytes {
			return out, nil
		}
		over := size - f.MaxBytes
		lim.truncated = true
		kept := len(summaryOf(a, lim))
		switch {
		case lim.details && len(a.Details) > 0:
			lim.details = false
		case kept > 0:
			lim.summary = max(0, kept-over)
		case step < len(fieldSteps):
			lim.field = fieldSteps[step]
			step++
			lim.summary = -1 // give the summary another chance with shorter fields
			lim.details = false
		default:
			return dst[:start], ErrTooLarge
		}
	}
}

func knownFormat(f string) bool {
	switch f {
	case FormatRFC5424, FormatRFC3164, FormatCEF, FormatLEEF, FormatJSON:
		return true
	}
	return false
}

func (f Formatter) render(dst []byte, a *detect.Alert, lim limits) []byte {
	switch f.Format {
	case FormatRFC5424:
		return f.appendRFC5424(dst, a, lim)
	case FormatRFC3164:
		return f.appendRFC3164(dst, a, lim)
	case FormatCEF:
		return f.appendCEF(dst, a, lim)
	case FormatLEEF:
		return f.appendLEEF(dst, a, lim)
	default:
		return f.appendJSON(dst, a, lim)
	}
}

// attr is one alert field under its canonical name; each format maps the names
// to its own keys and escaping.
type attr struct{ name, value string }

// attrs lists the alert's fields other than the summary, in a fixed order,
// skipping empty ones. Values are valid UTF-8 clipped to lim.field; control
// characters become spaces, except line breaks when keepBreaks is set (for CEF,
// which has escapes for them).
func attrs(a *detect.Alert, lim limits, keepBreaks bool) []attr {
	out := make([]attr, 0, 16)
	add := func(name, v string) {
		if v != "" {
			out = append(out, attr{name, clip(cleanValue(v, keepBreaks), lim.field)})
		}
	}
	num := func(name string, v uint64) {
		if v != 0 {
			out = append(out, attr{name, strconv.FormatUint(v, 10)})
		}
	}
	add("id", a.ID)
	add("type", a.Type)
	add("severity", string(a.Severity))
	add("sensor", a.Sensor)
	add("device", a.Device)
	add("src_ip", a.SrcIP)
	num("src_port", uint64(a.SrcPort))
	add("dst_ip", a.DstIP)
	num("dst_port", uint64(a.DstPort))
	add("transport", a.Transport)
	add("app", a.App)
	add("rule_id", a.RuleID)
	if a.Count > 0 {
		num("count", uint64(a.Count))
	}
	if lim.details && len(a.Details) > 0 {
		add("details", detailsJSON(a.Details))
	}
	if lim.truncated {
		out = append(out, attr{"truncated", "true"})
	}
	return out
}

// detailsJSON encodes details with sorted keys; a value JSON cannot hold (NaN, a
// channel) is reported by kind, never by content.
func detailsJSON(d map[string]any) string {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Sprintf(`{"unencodable":%q}`, fmt.Sprintf("%T", err))
	}
	return string(b)
}

// summaryOf is the alert sentence on one line, cut to lim.summary. Cleaning comes
// before cutting so each byte cut shortens the output by at least one byte.
func summaryOf(a *detect.Alert, lim limits) string {
	return clip(oneLine(a.Summary), lim.summary)
}

// syslogSeverity maps alert severity to RFC 5424 severity codes.
func syslogSeverity(s detect.Severity) int {
	switch s {
	case detect.SeverityCritical:
		return 2
	case detect.SeverityHigh:
		return 3
	case detect.SeverityMedium:
		return 4
	case detect.SeverityLow:
		return 5
	default:
		return 6
	}
}

// scaleSeverity maps alert severity to the 0..10 scale of CEF and LEEF.
func scaleSeverity(s detect.Severity) int {
	switch s {
	case detect.SeverityCritical:
		return 10
	case detect.SeverityHigh:
		return 8
	case detect.SeverityMedium:
		return 5
	case detect.SeverityLow:
		return 3
	default:
		return 1
	}
}

func (f Formatter) pri(a *detect.Alert) int {
	fac := f.Facility
	if fac < 0 || fac > 23 {
		fac = DefaultFacility
	}
	return fac*8 + syslogSeverity(a.Severity)
}

func (f Formatter) host(a *detect.Alert) string {
	if f.Hostname != "" {
		return printASCII(f.Hostname, 255)
	}
	return printASCII(a.Sensor, 255)
}
