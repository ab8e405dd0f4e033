package output

import (
	"bytes"
	"encoding/json"
	"time"

	"labwatch/detect"
)

// jsonAlert is the alert line of --alerts plus a truncation mark.
type jsonAlert struct {
	detect.Alert
	Truncated bool `json:"truncated,omitempty"`
}

// appendJSON renders an RFC 5424 header without structured data whose MSG is
// the alert as one JSON object, the same shape as the --alerts file.
func (f Formatter) appendJSON(dst []byte, a *detect.Alert, lim limits) []byte {
	dst = f.appendHeader5424(dst, a)
	dst = append(dst, " - "...)
	c := jsonAlert{Alert: *a, Truncated: lim.truncated}
	c.Summary = summaryOf(a, lim)
	for _, s := range []*string{&c.Type, (*string)(&c.Severity), &c.Device, &c.SrcIP, &c.DstIP,
		&c.Transport, &c.App, &c.RuleID, &c.ID, &c.Sensor} {
		*s = clip(oneLine(*s), lim.field)
	}
	if !lim.details {
		c.Details = nil
	}
	if y := c.TS.Year(); y < 0 || y > 9999 {
		c.TS = time.Time{} // JSON cannot carry it (RFC 3339 has four-digit years)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&c); err != nil {
		// A details value JSON cannot hold: keep the alert, say which part failed.
		c.Details = map[string]any{"unencodable": "details"}
		buf.Reset()
		_ = enc.Encode(&c)
	}
	return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}
