package dicom

import "strings"

// cleanText copies b into a string fit for an event: surrounding spaces and NUL
// padding trimmed, bytes outside printable ASCII replaced by '?', at most max
// bytes. It is used for AE titles, UIDs and implementation names, never for
// data set values.
func cleanText(b []byte, max int) string {
	for len(b) > 0 && (b[0] == ' ' || b[0] == 0) {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == 0) {
		b = b[:len(b)-1]
	}
	if len(b) > max {
		b = b[:max]
	}
	clean := true
	for _, c := range b {
		if c < ' ' || c > '~' {
			clean = false
			break
		}
	}
	if clean {
		return string(b)
	}
	out := make([]byte, len(b))
	for i, c := range b {
		if c < ' ' || c > '~' {
			c = '?'
		}
		out[i] = c
	}
	return string(out)
}

// appendList adds item to a comma-separated list unless it is already there or
// the list would pass max bytes. Used at association time only.
func appendList(list, item string, max int) string {
	if item == "" {
		return list
	}
	for rest := list; rest != ""; {
		var head string
		head, rest, _ = strings.Cut(rest, ",")
		if head == item {
			return list
		}
	}
	switch {
	case list == "" && len(item) <= max:
		return item
	case list == "" || len(list)+1+len(item) > max:
		return list
	}
	return list + "," + item
}
