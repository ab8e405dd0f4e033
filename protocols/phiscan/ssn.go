package phiscan

import (
	"bytes"

	"labwatch/protocols/app"
)

// scanSSN finds ddd-dd-dddd with both hyphens, standing alone (no digit, hyphen
// or letter touching either end), in a range the SSA issues: area not 000, 666
// or 9xx; group not 00; serial not 0000. Unseparated nine-digit runs are not
// reported: too many order and serial numbers look like them.
func scanSSN(t text, r *result) {
	data := t.data
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '-')
		if j < 0 {
			return
		}
		h := i + j // first hyphen
		i = h + 1
		if h < 3 || h+8 > len(data) || (h == 3 && t.openLeft) || (h+8 == len(data) && t.openRight) {
			continue
		}
		s := data[h-3 : h+8]
		if !digits(s[0:3]) || !digits(s[4:6]) || s[6] != '-' || !digits(s[7:11]) {
			continue
		}
		if h >= 4 && isWordByte(data[h-4]) || h+8 < len(data) && isWordByte(data[h+8]) {
			continue
		}
		if validSSN(s) {
			r.add(foundSSN, app.PHISSN)
			return
		}
	}
}

// validSSN applies the issuance rules to "ddd-dd-dddd".
func validSSN(s []byte) bool {
	area, group, serial := s[0:3], s[4:6], s[7:11]
	switch {
	case string(area) == "000", string(area) == "666", area[0] == '9':
		return false
	case string(group) == "00", string(serial) == "0000":
		return false
	}
	return true
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isWordByte tells bytes that would make a digit group part of a longer token.
func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '/'
}
