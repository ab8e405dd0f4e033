package poct1a

import (
	"bytes"

	"labwatch/protocols/app"
)

// scanState is where a side's framing scanner is. POCT1-A2 sends XML
// documents back to back on the connection with no length prefix, so a
// message ends where its root element closes; the scanner tracks just enough
// XML (tags, quotes, comments, CDATA, processing instructions, DOCTYPE) to
// find that point, byte by byte, across calls.
type scanState uint8

const (
	sIdle    scanState = iota // between messages
	sLT                       // after '<'
	sTag                      // inside a start tag
	sQuote                    // inside a quoted attribute value
	sEndTag                   // inside an end tag
	sPI                       // inside <? … ?>
	sBang                     // after "<!": comment, CDATA or DOCTYPE?
	sComment                  // inside <!-- … -->
	sCDATA                    // inside <![CDATA[ … ]]>
	sDoctype                  // inside <!DOCTYPE … >
	sText                     // character data (or the prolog)
	sResync                   // looking for the next message start
)

// framer is the framing state of one direction. The message bytes are
// copied into buf (capped by MaxMessageBytes) because encoding/xml decodes a
// whole message; between messages nothing is kept but a candidate start of
// at most 64 bytes while resynchronising.
type framer struct {
	st       scanState
	depth    int
	rootSeen bool
	naming   bool // reading the element name of a start tag
	slash    bool // the previous byte in a start tag was '/'
	quote    byte
	tail     [2]byte // last two bytes, for "?>", "-->", "]]>"
	bang     [7]byte
	bangN    int
	brackets int  // '[' nesting inside a DOCTYPE
	dtd      bool // the message has a DOCTYPE
	// The root element's name, and the name of the end tag being read: the
	// root's end tag ends the message whatever the nesting count says, so a
	// message with unbalanced tags cannot swallow the ones after it.
	root, end   [maxNameBytes]byte
	rootN, endN int
	// accept lets sIdle open a message at '<': set when resync has judged the
	// bytes that follow to be a message start.
	accept    bool
	buf       []byte
	cand      [maxNameBytes + 16]byte
	candN     int
	candReady bool // cand holds a message start to re-feed
	skipped   int  // bytes passed over while resynchronising

	maxBytes, maxDepth, maxResync int
}

// events the framer reports to its side.
type frameEvent uint8

const (
	evNone      frameEvent = iota
	evComplete             // buf holds a whole message
	evTooLarge             // the message passed MaxMessageBytes; dropped
	evTooDeep              // nesting passed MaxDepth; dropped
	evMalformed            // bytes that cannot be XML; dropped
	evGarbage              // non-XML bytes between messages
	evNoStart              // MaxResyncBytes passed without a message start
)

func (f *framer) push(c byte) {
	f.tail[0], f.tail[1] = f.tail[1], c
}

func (f *framer) startMessage() {
	f.buf = f.buf[:0]
	f.depth, f.rootSeen, f.dtd = 0, false, false
	f.tail = [2]byte{}
	f.root, f.rootN = [maxNameBytes]byte{}, 0
}

// nameByte records a byte of the root element's name (bounded).
func (f *framer) nameByte(c byte) {
	if f.rootN < len(f.root) {
		f.root[f.rootN] = c
		f.rootN++
	}
}

// inMessage tells whether a message is partly read.
func (f *framer) inMessage() bool { return f.st != sIdle && f.st != sResync }

// step consumes bytes from b and returns how many, and an event when one
// happened (the caller handles it, then calls step again with the rest).
// Message bytes are copied into buf in runs, not byte by byte.
func (f *framer) step(b []byte) (int, frameEvent) {
	from := 0 // where the message bytes of b not yet in buf begin
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch f.st {
		case sIdle:
			switch {
			case isSpace(c) || c == 0:
				continue
			case c != '<':
				f.st = sResync
				return i + 1, evGarbage
			case !f.accept:
				// Judge the start first: resync re-feeds it when it is one.
				f.st = sResync
				return i, evNone
			}
			f.accept = false
			f.startMessage()
			f.st, from = sLT, i
		case sResync:
			n, ev := f.resync(b[i:])
			return i + n, ev
		case sText:
			// Character data runs to the next '<'.
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				i = len(b) - 1
				break
			}
			i += j
			f.st = sLT
		default:
			switch ev := f.inTag(c); ev {
			case evNone:
			case evComplete:
				if len(f.buf)+i+1-from > f.maxBytes {
					f.st = sResync
					return i + 1, evTooLarge
				}
				f.buf = append(f.buf, b[from:i+1]...)
				return i + 1, evComplete
			default:
				return i + 1, ev
			}
		}
		if len(f.buf)+i+1-from > f.maxBytes {
			f.st = sResync
			return i + 1, evTooLarge
		}
	}
	if f.inMessage() {
		f.buf = append(f.buf, b[from:]...)
	}
	return len(b), evNone
}

// inTag advances the markup states by one byte.
func (f *framer) inTag(c byte) frameEvent {
	switch f.st {
	case sLT:
		switch {
		case c == '?':
			f.st, f.tail = sPI, [2]byte{}
		case c == '!':
			f.st, f.bangN = sBang, 0
		case c == '/':
			f.st, f.endN = sEndTag, 0
		case isNameChar(c) && c != '.' && c != '-' && !isDigit(c):
			f.st, f.naming, f.slash = sTag, true, false
			if f.depth == 0 {
				f.rootN = 0
				f.nameByte(c)
			}
		default:
			f.st = sResync
			return evMalformed
		}
	case sTag:
		switch {
		case f.naming && isNameChar(c):
			if f.depth == 0 {
				f.nameByte(c)
			}
		case c == '"' || c == '\'':
			f.st, f.quote, f.naming, f.slash = sQuote, c, false, false
		case c == '>':
			return f.open(f.slash)
		default:
			f.naming, f.slash = false, c == '/'
		}
	case sQuote:
		if c == f.quote {
			f.st = sTag
		}
	case sEndTag:
		if c != '>' {
			if isNameChar(c) && f.endN < len(f.end) {
				f.end[f.endN] = c
				f.endN++
			}
			return evNone
		}
		f.depth--
		if f.depth < 0 {
			f.st = sResync
			return evMalformed
		}
		if f.depth == 0 || f.endN == f.rootN && f.end == f.root {
			f.st = sIdle
			return evComplete
		}
		f.st = sText
	case sPI:
		if f.tail[1] == '?' && c == '>' {
			f.st = sText
		}
		f.push(c)
	case sBang:
		return f.bangByte(c)
	case sComment:
		if f.tail == [2]byte{'-', '-'} && c == '>' {
			f.st = sText
		}
		f.push(c)
	case sCDATA:
		if f.tail == [2]byte{']', ']'} && c == '>' {
			f.st = sText
		}
		f.push(c)
	case sDoctype:
		switch c {
		case '[':
			f.brackets++
		case ']':
			f.brackets--
		case '>':
			if f.brackets <= 0 {
				f.st = sText
			}
		}
	}
	return evNone
}

// open handles the '>' of a start tag.
func (f *framer) open(selfClosing bool) frameEvent {
	if f.depth == 0 {
		if f.rootSeen {
			f.st = sResync
			return evMalformed
		}
		f.rootSeen = true
	}
	f.st = sText
	if selfClosing {
		if f.depth == 0 {
			f.st = sIdle
			return evComplete
		}
		return evNone
	}
	f.depth++
	if f.depth > f.maxDepth {
		f.st = sResync
		return evTooDeep
	}
	return evNone
}

// bangByte decides what "<!" opens.
func (f *framer) bangByte(c byte) frameEvent {
	const cdata = "[CDATA["
	f.bang[f.bangN] = c
	f.bangN++
	b := f.bang[:f.bangN]
	switch {
	case bytes.Equal(b, []byte("--")):
		f.st, f.tail = sComment, [2]byte{}
	case string(b) == cdata:
		f.st, f.tail = sCDATA, [2]byte{}
	case f.bangN == 1 && isUpper(c):
		f.st, f.dtd, f.brackets = sDoctype, true, 0
	case b[0] == '-' && f.bangN < 2, len(b) < len(cdata) && cdata[:len(b)] == string(b):
	default:
		f.st = sResync
		return evMalformed
	}
	return evNone
}

// resync looks for the next message start in b, with the candidate held
// from earlier calls, and returns the bytes it used. On a match the state is
// sIdle and candReady is set: the side re-feeds the candidate, so no byte of
// the new message is lost.
func (f *framer) resync(b []byte) (int, frameEvent) {
	used := 0
	for used < len(b) {
		if f.candN == 0 {
			j := bytes.IndexByte(b[used:], '<')
			if j < 0 {
				j = len(b) - used
			}
			n, ev := f.pass(j)
			used += n
			if ev != evNone || used == len(b) {
				return used, ev
			}
		}
		f.cand[f.candN] = b[used]
		f.candN++
		used++
		if f.judgeCandidate() == app.Match {
			f.st, f.candReady, f.accept = sIdle, true, true
			return used, evNone
		}
	}
	return used, evNone
}

// judgeCandidate drops candidate starts that cannot open a message, keeping
// the next '<' inside the candidate, until one matches or needs more bytes.
func (f *framer) judgeCandidate() app.ProbeResult {
	for f.candN > 0 {
		r := messageStart(f.cand[:f.candN])
		if r != app.NoMatch {
			return r
		}
		// The dropped bytes count toward maxResync on the next pass.
		k := bytes.IndexByte(f.cand[1:f.candN], '<')
		if k < 0 {
			f.skipped = min(f.skipped+f.candN, f.maxResync-1)
			f.candN = 0
			break
		}
		f.skipped = min(f.skipped+k+1, f.maxResync-1)
		f.candN = copy(f.cand[:], f.cand[k+1:f.candN])
	}
	return app.NoMatch
}

// pass skips up to n bytes while resynchronising and returns how many it
// took; reaching maxResync skipped bytes stops it with evNoStart, so that a
// stream without messages is reported once per maxResync bytes.
func (f *framer) pass(n int) (int, frameEvent) {
	room := f.maxResync - f.skipped
	if n < room {
		f.skipped += n
		return n, evNone
	}
	f.skipped = 0
	return room, evNoStart
}
