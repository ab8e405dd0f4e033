package astm

// Reading the H record: who sends, to whom, in which LIS2-A2 version. These are
// device identities, never patient data, and they are the only strings the
// package copies out of the stream. Each is cleaned (printable ASCII, trimmed,
// truncated) and reused from the previous message when unchanged, so a device
// that repeats its header costs no allocation.

// Header is what an H record says about the sender and the message.
type Header struct {
	Delimiters Delimiters `json:"delimiters"`
	// ControlID is H-3, the message control ID some senders number messages with.
	ControlID string `json:"control_id,omitempty"`
	// Sender is the first component of H-5 (sender name or ID): the analyzer or
	// LIS name, e.g. "c311", "H500", "XN-550".
	Sender string `json:"sender,omitempty"`
	// Device is the make and model H-5 reveals: its first component, plus the
	// second when that is a plain name ("OCD VISION").
	Device string `json:"device,omitempty"`
	// Software is the first H-5 component after the name that looks like a
	// version ("2.2.0.5", "00-24", "1").
	Software string `json:"software,omitempty"`
	// Receiver is H-10, the receiver ID (first non-empty component).
	Receiver string `json:"receiver,omitempty"`
	// ProcessingID is H-12: P production, Q quality control, T training, D debug.
	ProcessingID string `json:"processing_id,omitempty"`
	// Version is H-13, the LIS2-A2 / E1394 version ("LIS2-A2", "E1394-97").
	Version string `json:"version,omitempty"`
	// Timestamp is H-14 as sent (YYYYMMDDHHMMSS).
	Timestamp string `json:"timestamp,omitempty"`
}

// H record field numbers (LIS2-A2 section 6).
const (
	hControlID  = 3
	hSender     = 5
	hReceiver   = 10
	hProcessing = 12
	hVersion    = 13
	hTimestamp  = 14
)

// headerReader fills a Header from an H record, reusing its scratch buffer and the
// previous header's strings.
type headerReader struct {
	max     int
	scratch []byte
}

// read updates h from the H record rec, split with delimiters d. Strings equal to
// h's current ones are kept as they are.
func (r *headerReader) read(h *Header, rec []byte, d Delimiters) {
	h.Delimiters = d
	var sender, receiver, control, processing, version, stamp []byte
	it := newFieldIter(rec, d.Field)
	for {
		n, f, ok := it.next()
		if !ok {
			break
		}
		switch n {
		case hControlID:
			control = f
		case hSender:
			sender = f
		case hReceiver:
			receiver = firstComponent(f, &d)
		case hProcessing:
			processing = component(f, &d, 1)
		case hVersion:
			version = f
		case hTimestamp:
			stamp = f
		}
	}
	h.ControlID = r.intern(h.ControlID, control)
	h.Receiver = r.intern(h.Receiver, receiver)
	h.ProcessingID = r.intern(h.ProcessingID, processing)
	h.Version = r.intern(h.Version, version)
	h.Timestamp = r.intern(h.Timestamp, stamp)
	r.readSender(h, sender, &d)
}

// readSender splits H-5 into name, device and software version. Vendors order
// the components differently (name^version^serial on Sysmex, name^serial^version
// on Horiba, make^model^version on Ortho), so the version is recognised by shape.
func (r *headerReader) readSender(h *Header, f []byte, d *Delimiters) {
	name := trimSpace(component(f, d, 1))
	if len(name) == 0 {
		name = firstComponent(f, d)
	}
	h.Sender = r.intern(h.Sender, name)

	var model, version []byte
	it := newFieldIter(cutRepeat(f, d), d.Component)
	for {
		n, c, ok := it.next()
		if !ok {
			break
		}
		c = trimSpace(c)
		if n == 2 && nameLike(c) {
			model = c
		}
		if n >= 2 && version == nil && versionLike(c) {
			version = c
		}
	}
	r.scratch = r.clean(r.scratch[:0], name)
	if len(model) > 0 && len(r.scratch) > 0 {
		r.scratch = append(r.scratch, ' ')
		r.scratch = r.clean(r.scratch, model)
	}
	h.Device = internClean(h.Device, r.scratch)
	h.Software = r.intern(h.Software, version)
}

// firstComponent returns the first non-blank component of the first repeat.
func firstComponent(f []byte, d *Delimiters) []byte {
	it := newFieldIter(cutRepeat(f, d), d.Component)
	for {
		_, c, ok := it.next()
		if !ok {
			return nil
		}
		if c = trimSpace(c); len(c) > 0 {
			return c
		}
	}
}

// cutRepeat returns the first repeat of a field.
func cutRepeat(f []byte, d *Delimiters) []byte {
	for i, c := range f {
		if c == d.Repeat {
			return f[:i]
		}
	}
	return f
}

// nameLike: letters and punctuation, no digit ("VISION", "GeneXpert").
func nameLike(c []byte) bool {
	letter := false
	for _, b := range c {
		if b >= '0' && b <= '9' {
			return false
		}
		if b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' {
			letter = true
		}
	}
	return letter
}

// versionLike: starts with a digit (or v + digit), holds only letters, digits,
// '.', '-' and '_', and has a separator or is a short number. "2.2.2.2b" and
// "00-24" are versions; serials such as "909YAXH02732" or "22723" are not.
func versionLike(c []byte) bool {
	if len(c) > 1 && (c[0] == 'v' || c[0] == 'V') {
		c = c[1:]
	}
	if len(c) == 0 || c[0] < '0' || c[0] > '9' {
		return false
	}
	sep, digits := false, true
	for _, b := range c {
		switch {
		case b == '.' || b == '-' || b == '_':
			sep, digits = true, false
		case b >= '0' && b <= '9':
		case isAlnum(b):
			digits = false
		default:
			return false
		}
	}
	return sep || digits && len(c) <= 3
}

// intern returns prev when the cleaned b equals it, else a new string.
func (r *headerReader) intern(prev string, b []byte) string {
	r.scratch = r.clean(r.scratch[:0], b)
	return internClean(prev, r.scratch)
}

func internClean(prev string, b []byte) string {
	if string(b) == prev {
		return prev
	}
	return string(b)
}

// clean appends b to dst trimmed of spaces, with bytes outside printable ASCII
// replaced by '?', and stops at r.max bytes in total.
func (r *headerReader) clean(dst, b []byte) []byte {
	for _, c := range trimSpace(b) {
		if len(dst) >= r.max {
			break
		}
		if c < ' ' || c > '~' {
			c = '?'
		}
		dst = append(dst, c)
	}
	return dst
}
