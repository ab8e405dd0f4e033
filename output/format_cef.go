package output

import (
	"strconv"
	"strings"

	"labwatch/detect"
)

// cefKeys maps canonical field names to CEF extension keys (ArcSight dictionary).
// Fields without a dictionary key travel in labelled custom strings.
var cefKeys = map[string]string{
	"id":        "externalId",
	"type":      "cat",
	"sensor":    "dvchost",
	"src_ip":    "src",
	"src_port":  "spt",
	"dst_ip":    "dst",
	"dst_port":  "dpt",
	"transport": "proto",
	"app":       "app",
	"count":     "cnt",
}

var cefCustom = map[string]string{
	"severity":  "cs1",
	"device":    "cs2",
	"rule_id":   "cs3",
	"details":   "cs4",
	"truncated": "cs5",
}

// appendCEF renders "<PRI>Mmm dd hh:mm:ss HOST CEF:0|labwatch|labwatch|VERSION|
// type|summary|severity|extension". Header fields escape '\' and '|'; extension
// values escape '\' and '=', and line breaks become \n and \r.
func (f Formatter) appendCEF(dst []byte, a *detect.Alert, lim limits) []byte {
	dst = f.appendHeader3164(dst, a)
	dst = append(dst, " CEF:0|labwatch|labwatch|"...)
	dst = appendCEFHeader(dst, oneLine(f.Version))
	dst = append(dst, '|')
	dst = appendCEFHeader(dst, clip(oneLine(a.Type), 1023))
	dst = append(dst, '|')
	dst = appendCEFHeader(dst, summaryOf(a, lim))
	dst = append(dst, '|')
	dst = strconv.AppendInt(dst, int64(scaleSeverity(a.Severity)), 10)
	dst = append(dst, '|')
	first := true
	sep := func() {
		if !first {
			dst = append(dst, ' ')
		}
		first = false
	}
	if !a.TS.IsZero() {
		sep()
		dst = append(dst, "rt="...)
		dst = strconv.AppendInt(dst, a.TS.UnixMilli(), 10)
	}
	for _, p := range attrs(a, lim, true) {
		key, custom := cefKeys[p.name], ""
		if key == "" {
			custom = cefCustom[p.name]
			key = custom
		}
		if strings.Contains(p.value, ":") { // IPv6 addresses have their own keys
			switch p.name {
			case "src_ip":
				key = "c6a2"
			case "dst_ip":
				key = "c6a3"
			}
		}
		sep()
		dst = append(dst, key...)
		dst = append(dst, '=')
		dst = appendCEFValue(dst, p.value)
		if custom != "" {
			dst = append(dst, ' ')
			dst = append(dst, custom...)
			dst = append(dst, "Label="...)
			dst = append(dst, p.name...)
		}
	}
	return dst
}

func appendCEFHeader(dst []byte, s string) []byte { return appendEscaped(dst, s, `\|`) }

func appendCEFValue(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '=':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
