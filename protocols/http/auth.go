package http

import (
	"bytes"
	"encoding/base64"
)

// Authorization headers (RFC 9110 §11.6.2): the scheme is reported; for Basic
// the user name is decoded only to be hashed, and the password is never
// looked at beyond the colon that ends the user name.

// authInfo is what an Authorization header reveals.
type authInfo struct {
	scheme      string // "basic", "bearer", "digest", "ntlm", "negotiate", "other"
	user        []byte // Basic or Digest user name, in a buffer owned by the analyzer
	credentials bool   // a reusable secret crossed (Basic password, bearer token)
}

// maxAuthBytes bounds the decoded Basic credentials the analyzer looks at.
const maxAuthBytes = 512

// parseAuth reads an Authorization value; buf receives decoded bytes.
func parseAuth(value []byte, buf *[maxAuthBytes]byte) authInfo {
	scheme, rest, _ := bytes.Cut(value, []byte(" "))
	rest = bytes.TrimSpace(rest)
	switch {
	case bytes.EqualFold(scheme, []byte("Basic")):
		a := authInfo{scheme: "basic", credentials: true}
		if base64.StdEncoding.DecodedLen(len(rest)) > len(buf) {
			return a
		}
		n, err := base64.StdEncoding.Decode(buf[:], rest)
		if err != nil {
			return a
		}
		if user, _, ok := bytes.Cut(buf[:n], []byte(":")); ok {
			a.user = user
		}
		return a
	case bytes.EqualFold(scheme, []byte("Bearer")):
		return authInfo{scheme: "bearer", credentials: len(rest) > 0}
	case bytes.EqualFold(scheme, []byte("Digest")):
		return authInfo{scheme: "digest", user: digestUser(rest), credentials: true}
	case bytes.EqualFold(scheme, []byte("NTLM")):
		return authInfo{scheme: "ntlm"}
	case bytes.EqualFold(scheme, []byte("Negotiate")):
		return authInfo{scheme: "negotiate"}
	}
	return authInfo{scheme: "other"}
}

// digestUser returns the username parameter of Digest credentials.
func digestUser(params []byte) []byte {
	for len(params) > 0 {
		var p []byte
		p, params, _ = bytes.Cut(params, []byte(","))
		name, value, ok := bytes.Cut(bytes.TrimSpace(p), []byte("="))
		if ok && bytes.EqualFold(bytes.TrimSpace(name), []byte("username")) {
			return bytes.Trim(bytes.TrimSpace(value), `"`)
		}
	}
	return nil
}
