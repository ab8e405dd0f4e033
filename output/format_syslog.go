package output

import (
	"strconv"
	"strings"

	"labwatch/detect"
)

// sdID is the RFC 5424 SD-ID of our structured data. 32473 is the example
// enterprise number reserved for documentation (RFC 5612); a site with its own
// IANA number can change it without touching receivers that key on "labwatch@".
const sdID = "labwatch@32473"

// appendRFC5424 renders
//
//	<PRI>1 TIMESTAMP HOST APP - TYPE [labwatch@32473 id="…" type="…" …] summary
//
// SD-PARAM values escape '"', '\' and ']' (RFC 5424 section 6.3.3).
func (f Formatter) appendRFC5424(dst []byte, a *detect.Alert, lim limits) []byte {
	dst = f.appendHeader5424(dst, a)
	dst = append(dst, " ["...)
	dst = append(dst, sdID...)
	for _, p := range attrs(a, lim, false) {
		dst = append(dst, ' ')
		dst = append(dst, p.name...)
		dst = append(dst, `="`...)
		dst = appendEscaped(dst, p.value, `"\]`)
		dst = append(dst, '"')
	}
	dst = append(dst, ']')
	if s := summaryOf(a, lim); s != "" {
		dst = append(dst, ' ')
		dst = append(dst, s...)
	}
	return dst
}

// appendHeader5424 renders the header up to MSGID; the alert type is the MSGID.
func (f Formatter) appendHeader5424(dst []byte, a *detect.Alert) []byte {
	dst = append(dst, '<')
	dst = strconv.AppendInt(dst, int64(f.pri(a)), 10)
	dst = append(dst, ">1 "...)
	if y := a.TS.Year(); a.TS.IsZero() || y < 1 || y > 9999 {
		dst = append(dst, '-')
	} else {
		dst = a.TS.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000000Z07:00")
	}
	dst = append(dst, ' ')
	dst = append(dst, f.host(a)...)
	dst = append(dst, ' ')
	dst = append(dst, printASCII(f.AppName, 48)...)
	dst = append(dst, " - "...)
	dst = append(dst, printASCII(a.Type, 32)...)
	return dst
}

// appendHeader3164 renders "<PRI>Mmm dd hh:mm:ss HOST" (RFC 3164 section 4.1),
// the header CEF and LEEF receivers expect too. The time is UTC.
func (f Formatter) appendHeader3164(dst []byte, a *detect.Alert) []byte {
	dst = append(dst, '<')
	dst = strconv.AppendInt(dst, int64(f.pri(a)), 10)
	dst = append(dst, '>')
	dst = a.TS.UTC().AppendFormat(dst, "Jan _2 15:04:05")
	dst = append(dst, ' ')
	// A ':' would end the BSD hostname early (it reads as the TAG's colon).
	dst = append(dst, strings.ReplaceAll(f.host(a), ":", "_")...)
	return dst
}

// appendRFC3164 renders "<PRI>Mmm dd hh:mm:ss HOST TAG: key=value … msg="…"".
// Values holding a space, quote, backslash or '=' are quoted, with '"' and '\'
// escaped, so a key=value reader splits them back exactly.
func (f Formatter) appendRFC3164(dst []byte, a *detect.Alert, lim limits) []byte {
	dst = f.appendHeader3164(dst, a)
	dst = append(dst, ' ')
	dst = append(dst, tag3164(f.AppName)...)
	dst = append(dst, ':')
	if a.ID == "" {
		dst = appendKV3164(dst, "id", "") // a TAG with nothing after it does not parse
	}
	for _, p := range attrs(a, lim, false) {
		dst = appendKV3164(dst, p.name, p.value)
	}
	if s := summaryOf(a, lim); s != "" {
		dst = appendKV3164(dst, "msg", s)
	}
	return dst
}

func appendKV3164(dst []byte, key, value string) []byte {
	dst = append(dst, ' ')
	dst = append(dst, key...)
	dst = append(dst, '=')
	if value != "" && !strings.ContainsAny(value, " \"\\=") {
		return append(dst, value...)
	}
	dst = append(dst, '"')
	dst = appendEscaped(dst, value, `"\`)
	return append(dst, '"')
}

// tag3164 keeps the TAG alphanumeric (plus '-', '_', '.') and at most 32 bytes.
func tag3164(s string) string {
	b := make([]byte, 0, min(len(s), 32))
	for i := 0; i < len(s) && len(b) < 32; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return DefaultAppName
	}
	return string(b)
}
