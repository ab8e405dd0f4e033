package creds

import (
	"bytes"
	"encoding/base64"
)

// SASL exchanges (RFC 4422) inside SMTP AUTH, POP3 AUTH and IMAP
// AUTHENTICATE: each client response is base64. Only the user name is
// decoded out; the password part is left in the reused buffer and cleared.

// saslState is an exchange in progress; mech "" means none.
type saslState struct {
	mech  string // sasl_plain, sasl_login, sasl_cram_md5, sasl_xoauth2, sasl_other
	steps int    // client responses so far
	user  string // hash of the user name given in an earlier step
}

func saslMechanism(m []byte) string {
	switch {
	case eq(m, "PLAIN"):
		return "sasl_plain"
	case eq(m, "LOGIN"):
		return "sasl_login"
	case eq(m, "CRAM-MD5"):
		return "sasl_cram_md5"
	case eq(m, "XOAUTH2"), eq(m, "OAUTHBEARER"):
		return "sasl_xoauth2"
	}
	return "sasl_other"
}

// saslResponse handles one base64 client response.
func (a *Analyzer) saslResponse(line []byte) {
	s := &a.text.sasl
	if string(line) == "*" {
		*s = saslState{} // cancelled
		return
	}
	need := base64.StdEncoding.DecodedLen(len(line))
	if cap(a.decoded) < need {
		a.decoded = make([]byte, need)
	}
	dec := a.decoded[:need]
	n, err := base64.StdEncoding.Decode(dec, line)
	defer clear(dec)
	if err != nil {
		*s = saslState{}
		a.setLogin(login{auth: "sasl_other"})
		return
	}
	dec = dec[:n]
	s.steps++
	switch s.mech {
	case "sasl_plain":
		// authzid NUL authcid NUL passwd
		parts := bytes.SplitN(dec, []byte{0}, 3)
		var user []byte
		if len(parts) == 3 {
			user = parts[1]
		}
		a.finishSASL(user, true)
	case "sasl_login":
		if s.steps == 1 {
			s.user = hashUser(dec)
			return
		}
		a.setLogin(login{auth: s.mech, userHash: s.user, credentials: true})
		s.mech = ""
	case "sasl_cram_md5":
		user, _, _ := bytes.Cut(dec, []byte(" "))
		a.finishSASL(user, true)
	case "sasl_xoauth2":
		a.finishSASL(oauthUser(dec), true)
	default:
		a.finishSASL(nil, false)
	}
}

func (a *Analyzer) finishSASL(user []byte, credentials bool) {
	mech := a.text.sasl.mech
	a.text.sasl.mech = ""
	a.setLogin(login{auth: mech, userHash: hashUser(user), credentials: credentials})
}

// oauthUser reads "user=NAME" from an XOAUTH2 or OAUTHBEARER response, whose
// fields are separated by 0x01 (OAUTHBEARER: "n,a=NAME,").
func oauthUser(dec []byte) []byte {
	for _, f := range bytes.Split(dec, []byte{1}) {
		if v, ok := bytes.CutPrefix(f, []byte("user=")); ok {
			return v
		}
		if _, rest, ok := bytes.Cut(f, []byte("a=")); ok && bytes.HasPrefix(f, []byte("n,")) {
			user, _, _ := bytes.Cut(rest, []byte(","))
			return user
		}
	}
	return nil
}
