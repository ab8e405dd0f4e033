package output

import (
	"strconv"

	"labwatch/detect"
)

// leefKeys maps canonical field names to predefined LEEF attribute keys; the
// others keep their canonical names as custom keys.
var leefKeys = map[string]string{
	"type":      "cat",
	"src_ip":    "src",
	"src_port":  "srcPort",
	"dst_ip":    "dst",
	"dst_port":  "dstPort",
	"transport": "proto",
}

// appendLEEF renders "<PRI>Mmm dd hh:mm:ss HOST LEEF:2.0|labwatch|labwatch|
// VERSION|type|x09|key=value<TAB>key=value…". LEEF has no escape inside an
// attribute value, so the delimiter (tab) and line breaks become spaces; header
// fields escape '\' and '|'.
func (f Formatter) appendLEEF(dst []byte, a *detect.Alert, lim limits) []byte {
	dst = f.appendHeader3164(dst, a)
	dst = append(dst, " LEEF:2.0|labwatch|labwatch|"...)
	dst = appendCEFHeader(dst, oneLine(f.Version))
	dst = append(dst, '|')
	dst = appendCEFHeader(dst, clip(oneLine(a.Type), 255))
	dst = append(dst, "|x09|"...)
	dst = append(dst, "sev="...)
	dst = strconv.AppendInt(dst, int64(scaleSeverity(a.Severity)), 10)
	if !a.TS.IsZero() {
		dst = append(dst, "\tdevTime="...)
		dst = strconv.AppendInt(dst, a.TS.UnixMilli(), 10)
	}
	for _, p := range attrs(a, lim, false) {
		key := leefKeys[p.name]
		if key == "" {
			key = p.name
		}
		dst = append(dst, '\t')
		dst = append(dst, key...)
		dst = append(dst, '=')
		dst = append(dst, p.value...)
	}
	if s := summaryOf(a, lim); s != "" {
		dst = append(dst, "\tmsg="...)
		dst = append(dst, s...)
	}
	return dst
}
