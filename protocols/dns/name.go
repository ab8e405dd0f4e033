package dns

// maxNameWire is the longest name on the wire (RFC 1035 3.1), length bytes
// included.
const maxNameWire = 255

// readName decodes the name at off. With dst non-nil the name is appended in
// presentation form (lower case, dot-separated, bytes outside printable ASCII
// and dots inside labels escaped as \DDD); with dst nil it is only skipped.
// next is the offset just after the name where it started (after the first
// pointer, if any). Loops are impossible: every pointer must point before the
// pointer itself, and at most maxPointers are followed.
func readName(msg []byte, off int, dst []byte, maxPointers int) (name []byte, next int, err error) {
	name, next = dst, -1
	pos, wire, jumps := off, 0, 0
	for {
		if pos >= len(msg) {
			return name, 0, ErrTruncated
		}
		l := int(msg[pos])
		switch l & 0xc0 {
		case 0x00:
			if l == 0 {
				if next < 0 {
					next = pos + 1
				}
				if dst != nil && len(name) == len(dst) {
					name = append(name, '.')
				}
				return name, next, nil
			}
			if l > len(msg)-pos-1 {
				return name, 0, ErrTruncated
			}
			wire += l + 1
			if wire > maxNameWire-1 {
				return name, 0, ErrNameTooLong
			}
			if dst != nil {
				if len(name) > len(dst) {
					name = append(name, '.')
				}
				name = appendLabel(name, msg[pos+1:pos+1+l])
			}
			pos += 1 + l
		case 0xc0:
			if pos+1 >= len(msg) {
				return name, 0, ErrTruncated
			}
			ptr := (l&0x3f)<<8 | int(msg[pos+1])
			if next < 0 {
				next = pos + 2
			}
			jumps++
			if ptr >= pos || jumps > maxPointers {
				return name, 0, ErrNameLoop
			}
			pos = ptr
		default:
			// 0x40 and 0x80 label types (RFC 6891 extended labels) are obsolete.
			return name, 0, ErrBadName
		}
	}
}

// appendLabel writes one label in presentation form, lower-cased.
func appendLabel(dst, label []byte) []byte {
	for _, c := range label {
		switch {
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		case c == '.' || c == '\\':
			dst = append(dst, '\\', c)
		case c > ' ' && c < 0x7f:
			dst = append(dst, c)
		default:
			dst = append(dst, '\\', '0'+c/100, '0'+c/10%10, '0'+c%10)
		}
	}
	return dst
}
