package output

// Independent readers for what the formatters write: go-syslog for RFC 5424 and
// 3164, and small CEF/LEEF/key=value readers written from the format specs (not
// from our formatter code) for the payloads go-syslog does not know.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	syslog "github.com/leodido/go-syslog/v4"
	"github.com/leodido/go-syslog/v4/rfc3164"
	"github.com/leodido/go-syslog/v4/rfc5424"
)

// parsed is a message read back into canonical fields.
type parsed struct {
	pri     int
	host    string
	fields  map[string]string // canonical names (id, type, severity, device, …)
	summary string
}

func parseBack(format string, msg []byte) (*parsed, error) {
	switch format {
	case FormatRFC5424:
		return parse5424(msg)
	case FormatRFC3164:
		return parse3164(msg)
	case FormatCEF:
		return parseCEF(msg)
	case FormatLEEF:
		return parseLEEF(msg)
	case FormatJSON:
		return parseJSONMsg(msg)
	}
	return nil, fmt.Errorf("no reader for %q", format)
}

func parse5424(msg []byte) (*parsed, error) {
	m, err := rfc5424.NewParser().Parse(msg)
	if err != nil {
		return nil, err
	}
	sm := m.(*rfc5424.SyslogMessage)
	p := &parsed{pri: int(*sm.Priority), fields: map[string]string{}}
	if sm.Hostname != nil {
		p.host = *sm.Hostname
	}
	if sm.StructuredData != nil {
		for k, v := range (*sm.StructuredData)[sdID] {
			p.fields[k] = v
		}
	}
	if sm.Message != nil {
		p.summary = *sm.Message
	}
	return p, nil
}

func parse3164(msg []byte) (*parsed, error) {
	m, err := rfc3164.NewParser().Parse(msg)
	if err != nil {
		return nil, err
	}
	sm := m.(*rfc3164.SyslogMessage)
	if sm.Appname == nil || sm.Message == nil {
		return nil, fmt.Errorf("3164: no tag or message")
	}
	p := &parsed{pri: int(*sm.Priority), fields: map[string]string{}}
	if sm.Hostname != nil {
		p.host = *sm.Hostname
	}
	kv, err := splitQuotedKV(*sm.Message)
	if err != nil {
		return nil, err
	}
	p.summary = kv["msg"]
	delete(kv, "msg")
	p.fields = kv
	return p, nil
}

// splitQuotedKV reads `k=v k="v \" w"` pairs.
func splitQuotedKV(s string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	for i < len(s) {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i >= len(s) {
			break
		}
		eq := strings.IndexByte(s[i:], '=')
		if eq <= 0 {
			return nil, fmt.Errorf("kv: no key at %d", i)
		}
		key := s[i : i+eq]
		i += eq + 1
		var val strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					val.WriteByte(s[i+1])
					i += 2
					continue
				}
				i++
				if c == '"' {
					closed = true
					break
				}
				val.WriteByte(c)
			}
			if !closed {
				return nil, fmt.Errorf("kv: unterminated quote for %s", key)
			}
		} else {
			end := strings.IndexByte(s[i:], ' ')
			if end < 0 {
				end = len(s) - i
			}
			val.WriteString(s[i : i+end])
			i += end
		}
		out[key] = val.String()
	}
	return out, nil
}

var header3164 = regexp.MustCompile(`^<(\d{1,3})>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S+) `)

// strip3164 checks the BSD header with go-syslog and returns PRI, host and the rest.
func strip3164(msg []byte) (int, string, string, error) {
	if _, err := rfc3164.NewParser().Parse(msg); err != nil {
		return 0, "", "", err
	}
	m := header3164.FindSubmatch(msg)
	if m == nil {
		return 0, "", "", fmt.Errorf("no 3164 header")
	}
	var pri int
	fmt.Sscan(string(m[1]), &pri)
	return pri, string(m[2]), string(msg[len(m[0]):]), nil
}

// splitHeader splits s on unescaped '|' into n fields plus the rest, undoing
// the '\|' and '\\' escapes.
func splitHeader(s string, n int) ([]string, string, error) {
	var out []string
	var cur strings.Builder
	i := 0
	for i < len(s) && len(out) < n {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '|' || s[i+1] == '\\'):
			cur.WriteByte(s[i+1])
			i += 2
			continue
		case c == '|':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
		i++
	}
	if len(out) < n {
		return nil, "", fmt.Errorf("header: %d of %d fields", len(out), n)
	}
	return out, s[i:], nil
}

var cefKeyAt = regexp.MustCompile(`(?:^| )([A-Za-z0-9_]+)=`)

// cefExtension reads space-separated key=value pairs where a key starts after a
// space and ends at an unescaped '='; values unescape \\ \= \n \r.
func cefExtension(s string) (map[string]string, error) {
	out := map[string]string{}
	// Find unescaped key positions.
	type pos struct{ keyStart, valStart int }
	var keys []pos
	for _, m := range cefKeyAt.FindAllStringSubmatchIndex(s, -1) {
		eq := m[1] - 1
		if backslashes(s, eq)%2 == 1 {
			continue
		}
		keys = append(keys, pos{m[2], m[1]})
	}
	if s != "" && (len(keys) == 0 || keys[0].keyStart != 0) {
		return nil, fmt.Errorf("cef: extension does not start with a key")
	}
	for i, k := range keys {
		end := len(s)
		if i+1 < len(keys) {
			end = keys[i+1].keyStart - 1
		}
		raw := s[k.valStart:end]
		var v strings.Builder
		for j := 0; j < len(raw); j++ {
			if raw[j] == '\\' && j+1 < len(raw) {
				switch raw[j+1] {
				case '\\', '=':
					v.WriteByte(raw[j+1])
				case 'n':
					v.WriteByte('\n')
				case 'r':
					v.WriteByte('\r')
				default:
					return nil, fmt.Errorf("cef: bad escape")
				}
				j++
				continue
			}
			if raw[j] == '=' {
				return nil, fmt.Errorf("cef: unescaped '=' in a value")
			}
			v.WriteByte(raw[j])
		}
		out[s[k.keyStart:k.valStart-1]] = v.String()
	}
	return out, nil
}

func backslashes(s string, i int) int {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n
}

var cefCanonical = map[string]string{
	"externalId": "id", "cat": "type", "dvchost": "sensor", "src": "src_ip", "spt": "src_port",
	"dst": "dst_ip", "dpt": "dst_port", "c6a2": "src_ip", "c6a3": "dst_ip", "proto": "transport", "app": "app", "cnt": "count",
}

func parseCEF(msg []byte) (*parsed, error) {
	pri, host, rest, err := strip3164(msg)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(rest, "CEF:0|") {
		return nil, fmt.Errorf("cef: no CEF:0 prefix")
	}
	hdr, ext, err := splitHeader(rest[len("CEF:0|"):], 6)
	if err != nil {
		return nil, err
	}
	kv, err := cefExtension(ext)
	if err != nil {
		return nil, err
	}
	p := &parsed{pri: pri, host: host, fields: map[string]string{}, summary: hdr[4]}
	for k, v := range kv {
		if c, ok := cefCanonical[k]; ok {
			p.fields[c] = v
		} else if strings.HasPrefix(k, "cs") && !strings.HasSuffix(k, "Label") {
			p.fields[kv[k+"Label"]] = v
		}
	}
	return p, nil
}

var leefCanonical = map[string]string{
	"cat": "type", "src": "src_ip", "srcPort": "src_port", "dst": "dst_ip", "dstPort": "dst_port", "proto": "transport",
}

func parseLEEF(msg []byte) (*parsed, error) {
	pri, host, rest, err := strip3164(msg)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(rest, "LEEF:2.0|") {
		return nil, fmt.Errorf("leef: no LEEF:2.0 prefix")
	}
	hdr, attrs, err := splitHeader(rest[len("LEEF:2.0|"):], 5)
	if err != nil {
		return nil, err
	}
	if hdr[4] != "x09" {
		return nil, fmt.Errorf("leef: delimiter %q", hdr[4])
	}
	p := &parsed{pri: pri, host: host, fields: map[string]string{}}
	for _, a := range strings.Split(attrs, "\t") {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("leef: attribute without key")
		}
		switch {
		case k == "msg":
			p.summary = v
		case leefCanonical[k] != "":
			p.fields[leefCanonical[k]] = v
		default:
			p.fields[k] = v
		}
	}
	return p, nil
}

func parseJSONMsg(msg []byte) (*parsed, error) {
	m, err := rfc5424.NewParser().Parse(msg)
	if err != nil {
		return nil, err
	}
	sm := m.(*rfc5424.SyslogMessage)
	if sm.Message == nil {
		return nil, fmt.Errorf("json: empty MSG")
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(*sm.Message), &obj); err != nil {
		return nil, err
	}
	p := &parsed{pri: int(*sm.Priority), fields: map[string]string{}}
	if sm.Hostname != nil {
		p.host = *sm.Hostname
	}
	for k, v := range obj {
		switch v := v.(type) {
		case string:
			p.fields[k] = v
		case float64:
			p.fields[k] = fmt.Sprint(v)
		case bool:
			p.fields[k] = fmt.Sprint(v)
		case map[string]any:
			b, _ := json.Marshal(v)
			p.fields[k] = string(b)
		}
	}
	p.summary = p.fields["summary"]
	delete(p.fields, "summary")
	delete(p.fields, "ts")
	return p, nil
}

var _ syslog.Message = (*rfc5424.SyslogMessage)(nil)
