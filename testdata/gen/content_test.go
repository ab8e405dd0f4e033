package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

// streamsOf returns the demo's streams of one app.
func streamsOf(c capture, appName string) []StreamTruth {
	var out []StreamTruth
	for _, st := range c.truth.Streams {
		if st.App == appName {
			out = append(out, st)
		}
	}
	return out
}

// mllpMessages splits an MLLP byte stream into HL7 messages.
func mllpMessages(t testing.TB, b []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for len(b) > 0 {
		require.Equal(t, byte(mllpStart), b[0], "MLLP start block")
		end := bytes.Index(b, []byte{mllpEnd, cr})
		require.GreaterOrEqual(t, end, 0, "MLLP end block")
		out = append(out, b[1:end])
		b = b[end+2:]
	}
	return out
}

// hl7Field returns field n of the first segment named seg (MSH counts its
// field separator as MSH-1).
func hl7Field(msg []byte, seg string, n int) string {
	for _, s := range strings.Split(string(msg), "\r") {
		if !strings.HasPrefix(s, seg+"|") {
			continue
		}
		f := strings.Split(s, "|")
		if seg == "MSH" {
			n--
		}
		if n < len(f) {
			return f[n]
		}
		return ""
	}
	return ""
}

func TestHL7MessagesAreAcknowledged(t *testing.T) {
	c := demo(t)
	counts := map[string]int{}
	rejects := 0
	for _, st := range streamsOf(c, "hl7") {
		msgs := mllpMessages(t, st.Dirs[app.ClientToServer].Payload)
		acks := mllpMessages(t, st.Dirs[app.ServerToClient].Payload)
		require.Len(t, acks, len(msgs), "one ACK per message")
		for i, m := range msgs {
			require.True(t, bytes.HasPrefix(m, []byte(`MSH|^~\&|`)), "message starts with MSH")
			typ := strings.Split(hl7Field(m, "MSH", 9), "^")
			counts[typ[0]+"^"+typ[1]]++
			version := hl7Field(m, "MSH", 12)
			assert.Contains(t, []string{"2.3", "2.3.1", "2.4", "2.5", "2.5.1"}, version)
			assert.NotEmpty(t, hl7Field(m, "PID", 3), "PID-3")

			ack := acks[i]
			assert.True(t, strings.HasPrefix(hl7Field(ack, "MSH", 9), "ACK"))
			assert.Equal(t, version, hl7Field(ack, "MSH", 12))
			assert.Equal(t, hl7Field(m, "MSH", 10), hl7Field(ack, "MSA", 2), "MSA-2 echoes MSH-10")
			code := hl7Field(ack, "MSA", 1)
			require.Contains(t, []string{"AA", "AE"}, code)
			if code == "AE" {
				rejects++
				assert.NotEmpty(t, hl7Field(ack, "ERR", 1)+hl7Field(ack, "ERR", 2))
			}
			counts["ACK"]++
		}
	}
	want := map[string]int{}
	for _, m := range []map[string]map[string]int{c.truth.Messages, c.truth.Damaged} {
		for k, n := range m["hl7"] {
			want[k] += n
		}
	}
	assert.Equal(t, want, counts)
	for _, k := range []string{"ORU^R01", "ORM^O01", "ADT^A01", "OML^O21", "ACK"} {
		assert.Positive(t, counts[k], k)
	}
	assert.Positive(t, rejects, "a few AE acknowledgements")
	assert.Equal(t, c.truth.Events["hl7_ae"], rejects)
}

func TestHL7UsesBothPorts(t *testing.T) {
	ports := map[uint16]int{}
	for _, st := range streamsOf(demo(t), "hl7") {
		ports[st.Server.Port()]++
	}
	assert.Positive(t, ports[portHL7])
	assert.Positive(t, ports[portHL7Alt])
}

// astmTranscript checks the LIS01-A2 framing of one direction of an ASTM
// connection and returns the kinds of the messages it carries.
type astmTranscript struct {
	kinds  map[string]int
	frames int
	etb    int
	naks   int
}

func parseASTM(t testing.TB, b []byte) astmTranscript {
	t.Helper()
	tr := astmTranscript{kinds: map[string]int{}}
	expect := -1
	var prev []byte
	var text []byte
	var records []string
	for i := 0; i < len(b); {
		switch b[i] {
		case enq:
			expect, records, text, prev = 1, nil, nil, nil
			i++
		case ack:
			i++
		case nak:
			tr.naks++
			i++
		case eot:
			require.Empty(t, text, "EOT inside a record")
			tr.kinds[kindOfRecords(records)]++
			expect = -1
			i++
		case stx:
			end := bytes.IndexAny(b[i:], "\x03\x17")
			require.Positive(t, end, "frame without ETX/ETB")
			end += i
			require.LessOrEqual(t, end+5, len(b), "frame trailer cut")
			frameBytes := b[i : end+5]
			sum, err := strconv.ParseUint(string(b[end+1:end+3]), 16, 8)
			require.NoError(t, err)
			require.Equal(t, astmChecksum(b[i+1:end+1]), byte(sum), "checksum of frame %q", frameBytes)
			require.Equal(t, "\r\n", string(b[end+3:end+5]))
			require.LessOrEqual(t, end-i-2, astmMaxText, "frame text too long")
			fn := int(b[i+1] - '0')
			i = end + 5
			if bytes.Equal(frameBytes, prev) {
				continue // repeated after a NAK
			}
			require.Equal(t, expect, fn, "frame number")
			expect = (fn + 1) % 8
			prev = frameBytes
			tr.frames++
			text = append(text, frameBytes[2:len(frameBytes)-5]...)
			if b[end] == etb {
				tr.etb++
				continue
			}
			require.True(t, bytes.HasSuffix(text, []byte{cr}), "record ends with CR")
			records = append(records, string(text[:len(text)-1]))
			text = nil
		default:
			t.Fatalf("unexpected byte %#x at %d", b[i], i)
		}
	}
	return tr
}

func kindOfRecords(records []string) string {
	seen := map[byte]bool{}
	for _, r := range records {
		seen[r[0]] = true
	}
	switch {
	case seen['R']:
		return "result"
	case seen['Q']:
		return "query"
	case seen['O']:
		return "order"
	}
	return "other"
}

func TestASTMFramesAndChecksums(t *testing.T) {
	c := demo(t)
	kinds := map[string]int{}
	frames, etb, naks := 0, 0, 0
	for _, st := range streamsOf(c, "astm") {
		assert.Equal(t, uint16(portASTM), st.Server.Port())
		for _, d := range st.Dirs {
			tr := parseASTM(t, d.Payload)
			for k, n := range tr.kinds {
				kinds[k] += n
			}
			frames += tr.frames
			etb += tr.etb
			naks += tr.naks
		}
	}
	want := map[string]int{}
	for _, m := range []map[string]map[string]int{c.truth.Messages, c.truth.Damaged} {
		for k, n := range m["astm"] {
			want[k] += n
		}
	}
	assert.Equal(t, want, kinds)
	for _, k := range []string{"result", "order", "query", "other"} {
		assert.Positive(t, kinds[k], k)
	}
	assert.Greater(t, frames, 8, "frame numbers wrap past 7")
	assert.Positive(t, etb, "long records continue in ETB frames")
	assert.Equal(t, c.truth.Events["astm_nak"], naks)
}

// TestASTMChecksumAgreesWithCorpus checks our checksum against frames captured
// from real analyzers.
func TestASTMChecksumAgreesWithCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "astm")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not present")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	checked := 0
	for _, name := range files {
		base := filepath.Base(name)
		// Files whose SOURCES.md entry says every checksum is valid.
		if !strings.HasPrefix(base, "nishishailesh__vitros3600") && !strings.HasPrefix(base, "python-astm__") {
			continue
		}
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		for i := bytes.IndexByte(b, stx); i >= 0 && i < len(b); {
			end := bytes.IndexAny(b[i:], "\x03\x17")
			if end < 0 || i+end+3 > len(b) {
				break
			}
			end += i
			sum, err := strconv.ParseUint(string(b[end+1:end+3]), 16, 8)
			require.NoError(t, err, base)
			assert.Equal(t, byte(sum), astmChecksum(b[i+1:end+1]), "%s frame at %d", base, i)
			checked++
			next := bytes.IndexByte(b[end:], stx)
			if next < 0 {
				break
			}
			i = end + next
		}
	}
	assert.GreaterOrEqual(t, checked, 20)
}

func TestZPLLabels(t *testing.T) {
	c := demo(t)
	labels := 0
	for _, st := range streamsOf(c, "zpl") {
		assert.Equal(t, uint16(portZPL), st.Server.Port())
		job := string(st.Dirs[app.ClientToServer].Payload)
		n := strings.Count(job, "^XA")
		assert.Equal(t, n, strings.Count(job, "^XZ"))
		assert.Equal(t, n, strings.Count(job, "^BCN"), "one barcode per label")
		assert.Empty(t, st.Dirs[app.ServerToClient].Payload, "printers answer nothing")
		labels += n
	}
	assert.Equal(t, c.truth.Messages["zpl"]["label"]+c.truth.Damaged["zpl"]["label"], labels)
	assert.Positive(t, labels)
}

func TestTLSHandshakes(t *testing.T) {
	c := demo(t)
	ports := map[uint16]bool{}
	for _, st := range streamsOf(c, "tls") {
		ports[st.Server.Port()] = true
		hello := st.Dirs[app.ClientToServer].Payload
		require.Greater(t, len(hello), 9)
		assert.Equal(t, []byte{tlsHandshake, 3, 1}, hello[:3])
		assert.Equal(t, byte(tlsClientHello), hello[5])
		recordLen := int(hello[3])<<8 | int(hello[4])
		assert.Equal(t, recordLen, int(hello[6])<<16|int(hello[7])<<8|int(hello[8])+4, "record holds exactly the ClientHello")
		assert.True(t, bytes.Contains(hello[:5+recordLen], []byte(".example.")), "SNI")
		server := st.Dirs[app.ServerToClient].Payload
		require.Greater(t, len(server), 9)
		assert.Equal(t, []byte{tlsHandshake, 3, 3}, server[:3])
		assert.Equal(t, byte(tlsServerHello), server[5])
	}
	assert.True(t, ports[portHTTPS] && ports[portHL7TLS], "TLS on 443 and 6443")
}

// TestPlantedListsEveryPatientValueOnTheWire checks Truth.Planted both ways:
// every planted value is in the traffic, and every fictional patient value in
// the traffic is planted.
func TestPlantedListsEveryPatientValueOnTheWire(t *testing.T) {
	c := demo(t)
	var wire []byte
	for _, st := range c.truth.Streams {
		for _, d := range st.Dirs {
			wire = append(wire, d.Payload...)
		}
	}
	planted := map[string]bool{}
	for _, v := range c.truth.Planted {
		planted[v] = true
		assert.True(t, bytes.Contains(wire, []byte(v)), "planted %q never sent", v)
	}
	kinds := map[string]int{}
	for _, p := range newPatients() {
		forms := map[string]string{
			"name": p.family + "^" + p.given, "label name": p.family + ", " + p.given,
			"mrn": p.mrn, "dob": p.dob, "label dob": p.dobLabel, "street": p.street,
			"phone": p.phone, "ssn": p.ssn, "kin": p.kin,
		}
		for k, acc := range p.accessions {
			forms["accession "+strconv.Itoa(k)] = acc
		}
		for kind, v := range forms {
			if bytes.Contains(wire, []byte(v)) {
				assert.True(t, planted[v], "%s %q sent but not planted", kind, v)
				kinds[kind]++
			}
		}
	}
	for _, k := range []string{"name", "label name", "mrn", "dob", "label dob", "street", "phone", "ssn", "kin"} {
		assert.Positive(t, kinds[k], "no %s on the wire", k)
	}
}

// TestSummaryCarriesNoPatientValues: what labgen prints and what errors say must
// not leak the planted values.
func TestSummaryCarriesNoPatientValues(t *testing.T) {
	c := demo(t)
	out, err := json.Marshal(c.truth.Summary())
	require.NoError(t, err)
	bad := Demo()
	bad.Link = "x"
	_, _, genErr := Capture(bad)
	require.Error(t, genErr)
	text := string(out) + genErr.Error() + fmt.Sprintf("%+v", c.truth.Events)
	for _, v := range c.truth.Planted {
		assert.NotContains(t, text, v)
	}
}
