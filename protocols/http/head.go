package http

import (
	"bytes"
	"errors"
)

// Parsing of a start line and header block (RFC 9112 §3, §4, §5). The block
// is parsed in place; the head keeps sub-slices of it, valid until the block's
// bytes are reused.

var (
	errStartLine = errors.New("http: start line is not a request or status line")
	errHeader    = errors.New("http: header line without a colon")
	errLength    = errors.New("http: Content-Length is not a number")
)

// head is one parsed start line and header block.
type head struct {
	response bool
	method   string // request: interned method name, "other" for unknown tokens
	target   []byte // request-target as sent
	version  string // "1.0", "1.1"
	status   int

	host, userAgent, server, contentType, contentEncoding []byte
	authorization                                         []byte // Authorization or Proxy-Authorization value

	contentLength int64 // -1 when absent
	chunked       bool
	ambiguous     bool // Content-Length with chunked, or two different lengths
	headers       int
	skipped       int // header lines past MaxHeaders
}

// methods are the request methods reported by name; any other token is
// "other", so that the summary cannot grow without bound.
var methods = [...]string{"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH"}

// internMethod returns the method's name from the table, or "other".
func internMethod(tok []byte) string {
	for _, m := range methods {
		if string(tok) == m {
			return m
		}
	}
	return "other"
}

// parseHead parses block (start line through the empty line) into h.
func parseHead(block []byte, maxHeaders int, h *head) error {
	*h = head{contentLength: -1}
	line, rest := cutLine(block)
	if err := h.startLine(line); err != nil {
		return err
	}
	for len(rest) > 0 {
		line, rest = cutLine(rest)
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // obsolete line folding: a continuation of the previous value
		}
		if h.headers >= maxHeaders {
			h.skipped++
			continue
		}
		h.headers++
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(name) == 0 {
			return errHeader
		}
		if err := h.header(name, bytes.TrimSpace(value)); err != nil {
			return err
		}
	}
	return nil
}

// cutLine splits b at the first LF, dropping a CR before it.
func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i], b[i+1:]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}

// startLine reads "METHOD target HTTP/x.y" or "HTTP/x.y code reason".
func (h *head) startLine(line []byte) error {
	first, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok {
		return errStartLine
	}
	if v, ok := httpVersion(first); ok {
		h.response, h.version = true, v
		code, _, _ := bytes.Cut(rest, []byte(" "))
		if len(code) != 3 || !digits(code) {
			return errStartLine
		}
		h.status = int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0')
		return nil
	}
	target, ver, ok := bytes.Cut(rest, []byte(" "))
	v, vok := httpVersion(ver)
	if !ok || !vok || !token(first) || len(target) == 0 {
		return errStartLine
	}
	h.method, h.target, h.version = internMethod(first), target, v
	return nil
}

// httpVersion reads "HTTP/1.0" or "HTTP/1.1".
func httpVersion(b []byte) (string, bool) {
	switch string(b) {
	case "HTTP/1.1":
		return "1.1", true
	case "HTTP/1.0":
		return "1.0", true
	}
	return "", false
}

// header records the headers the analyzer uses.
func (h *head) header(name, value []byte) error {
	switch {
	case bytes.EqualFold(name, []byte("Host")):
		h.host = value
	case bytes.EqualFold(name, []byte("User-Agent")):
		h.userAgent = value
	case bytes.EqualFold(name, []byte("Server")):
		h.server = value
	case bytes.EqualFold(name, []byte("Content-Type")):
		h.contentType = value
	case bytes.EqualFold(name, []byte("Content-Encoding")):
		h.contentEncoding = value
	case bytes.EqualFold(name, []byte("Authorization")), bytes.EqualFold(name, []byte("Proxy-Authorization")):
		h.authorization = value
	case bytes.EqualFold(name, []byte("Transfer-Encoding")):
		if hasToken(value, "chunked") {
			h.chunked = true
			h.ambiguous = h.ambiguous || h.contentLength >= 0
		}
	case bytes.EqualFold(name, []byte("Content-Length")):
		n, ok := parseLength(value)
		if !ok {
			return errLength
		}
		if h.contentLength >= 0 && h.contentLength != n || h.chunked {
			h.ambiguous = true
		}
		h.contentLength = n
	}
	return nil
}

// parseLength reads a decimal length of at most 15 digits (no overflow).
func parseLength(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 15 || !digits(b) {
		return 0, false
	}
	var n int64
	for _, c := range b {
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// token tells whether b is an RFC 9110 token (method names).
func token(b []byte) bool {
	if len(b) == 0 || len(b) > 32 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c >= 0x7f || bytes.IndexByte([]byte(`"(),/:;<=>?@[\]{}`), c) >= 0 {
			return false
		}
	}
	return true
}

// hasToken tells whether a comma-separated header value lists tok.
func hasToken(value []byte, tok string) bool {
	for len(value) > 0 {
		var part []byte
		part, value, _ = bytes.Cut(value, []byte(","))
		if bytes.EqualFold(bytes.TrimSpace(part), []byte(tok)) {
			return true
		}
	}
	return false
}
