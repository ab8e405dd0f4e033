package http

// jsonScanner walks a JSON body without building values: it tracks, per open
// object, its "resourceType" and which patient elements hold a non-empty value,
// and reports each resource when it closes (or when the inspected prefix
// ends). It keeps a fixed stack and allocates nothing.
type jsonScanner struct {
	stack [maxFrames]jsonFrame
	depth int
}

type jsonFrame struct {
	object  bool
	wantKey bool // object: the next string is a key
	key     int  // element index of the pending value, or noKey
	rtKey   bool // the pending value is resourceType
	parent  int  // key index this container is the value of
	items   int  // members or elements seen
	resType string
	mask    uint16
}

func (s *jsonScanner) scan(b []byte, bi *bodyInfo) {
	s.depth = 0
	overflow := 0 // containers opened beyond the stack
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case ' ', '\t', '\r', '\n', ',', ':':
			continue
		case '{', '[':
			if s.depth == maxFrames {
				overflow++
				continue
			}
			parent := noKey
			if s.depth > 0 {
				parent = s.top().key
				s.top().items++
			}
			s.stack[s.depth] = jsonFrame{object: c == '{', wantKey: c == '{', key: noKey, parent: parent}
			s.depth++
		case '}', ']':
			if overflow > 0 {
				overflow--
				continue
			}
			if s.depth == 0 {
				return
			}
			s.close(bi)
		case '"':
			end := stringEnd(b, i+1)
			s.value(b[i+1:end], true, bi)
			i = end
		default:
			end := i
			for end < len(b) && !delimiter(b[end]) {
				end++
			}
			s.value(b[i:end], false, bi)
			i = end - 1
		}
	}
	for s.depth > 0 {
		s.close(bi)
	}
}

func (s *jsonScanner) top() *jsonFrame { return &s.stack[s.depth-1] }

// close pops a container: a non-empty one marks its parent's element present,
// an object with a resourceType is reported.
func (s *jsonScanner) close(bi *bodyInfo) {
	f := s.stack[s.depth-1]
	s.depth--
	if f.object {
		bi.applyFrame(f.resType, f.mask, s.depth+1)
	}
	if s.depth == 0 {
		return
	}
	p := s.top()
	if f.items > 0 && f.parent != noKey && p.object {
		p.mask |= 1 << f.parent
	}
	p.key, p.rtKey = noKey, false
	if p.object {
		p.wantKey = true
	}
}

// value handles a string (str) or other scalar token.
func (s *jsonScanner) value(tok []byte, str bool, bi *bodyInfo) {
	if s.depth == 0 {
		return
	}
	f := s.top()
	if f.object && f.wantKey {
		f.wantKey = false
		f.key = keyIndex(tok)
		f.rtKey = string(tok) == "resourceType"
		return
	}
	f.items++
	if f.object {
		if f.rtKey && str {
			f.resType = fhirType(tok)
			if f.resType == "" {
				f.resType = "other"
			}
		}
		if f.key != noKey && len(tok) > 0 && (str || string(tok) != "null") {
			f.mask |= 1 << f.key
		}
		f.key, f.rtKey, f.wantKey = noKey, false, true
	}
}

// stringEnd returns the index of the quote closing a string that starts at i,
// or len(b) when the string is cut off.
func stringEnd(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case '\\':
			i += 2
		case '"':
			return i
		default:
			i++
		}
	}
	return min(i, len(b))
}

func delimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ':', '{', '}', '[', ']', '"':
		return true
	}
	return false
}
