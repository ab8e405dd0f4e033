package poct1a

import (
	"bytes"

	"labwatch/protocols/app"
)

// probeLimit bounds how far Probe reads past the XML declaration and
// comments to find the root element.
const probeLimit = 1024

// Probe tells from the first bytes of one direction whether it carries
// POCT1-A: optional byte order mark and white space, an optional XML
// declaration and comments, then a root element named like a POCT1-A message
// (HEL.R01, OBS.R01, ACK.R01 …). Other XML is NoMatch. There is no standard
// port: POCT1-A is found by content only.
func Probe(data []byte) app.ProbeResult {
	b := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for i := 0; ; {
		for i < len(b) && (isSpace(b[i]) || b[i] == 0) {
			i++
		}
		if i >= probeLimit {
			return app.NoMatch
		}
		rest := b[i:]
		if len(rest) == 0 {
			return app.NeedMore
		}
		var end []byte
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			if r := messageStart(rest); r != app.Match {
				return r
			}
			end = []byte("?>")
		case bytes.HasPrefix(rest, []byte("<!--")):
			end = []byte("-->")
		case len(rest) < 4 && bytes.HasPrefix([]byte("<!--"), rest):
			return app.NeedMore
		default:
			return messageStart(rest)
		}
		j := bytes.Index(rest, end)
		if j < 0 {
			if len(b) >= probeLimit {
				return app.NoMatch
			}
			return app.NeedMore
		}
		i += j + len(end)
	}
}
