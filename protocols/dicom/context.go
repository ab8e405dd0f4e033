package dicom

// contextTable remembers, per presentation context ID, the abstract syntax an
// A-ASSOCIATE-RQ proposed and the transfer syntax the A-ASSOCIATE-AC accepted,
// so that P-DATA-TF values can be decoded and their SOP class named. Fixed
// arrays indexed by the one-byte ID: no map, no growth.
type contextTable struct {
	abstract [256]string
	syntax   [256]syntax
	accepted [256]bool
	// negotiated is set once an A-ASSOCIATE-AC was read; before that (a flow
	// picked up mid-association) every context is unknown and syntaxes are
	// guessed.
	negotiated bool
}

// reset forgets the previous association (a new A-ASSOCIATE-RQ).
func (t *contextTable) reset() { *t = contextTable{} }

func (t *contextTable) propose(id byte, abstract string) { t.abstract[id] = abstract }

func (t *contextTable) accept(id byte, s syntax) {
	t.accepted[id] = true
	t.syntax[id] = s
	t.negotiated = true
}

// known tells whether a PDV on context id is consistent with the association.
func (t *contextTable) known(id byte) bool { return !t.negotiated || t.accepted[id] }

// intern returns the string of a known abstract syntax equal to uid, so that
// a command's SOP class costs no allocation; "" when there is none.
func (t *contextTable) intern(uid []byte) string {
	for i := range t.abstract {
		if s := t.abstract[i]; s != "" && s == string(uid) {
			return s
		}
	}
	return ""
}
