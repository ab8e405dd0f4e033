package http

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

func TestReducePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/fhir/Patient/pat-77?_format=json", "/fhir/Patient"},
		{"/Patient/12345/_history/2", "/Patient/:id"},
		{"/results/2026/03/04", "/results/:id"},
		{"/hl7/inbound", "/hl7/inbound"},
		{"/api/v2/orders/ACC-7788", "/api/v2"},
		{"/DOE^JANE/x", "/:id/x"},
		{"http://proxy.example/fhir/Observation?subject=1", "/fhir/Observation"},
		{"*", "*"},
		{"/", "/"},
		{"/a%20b", "/:id"},
		{"/" + strings.Repeat("a", 40), "/:id"},
		{"/page/5#top", "/page/:id"},
		{"/patient/Smith", "/patient/:id"},
		{"/api/getResults", "/api/:id"},
		{"/baseR4/Observation", "/:id/Observation"},
		{"/fhir/$everything", "/fhir/$everything"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ReducePath(tt.in), tt.in)
	}
}

func TestTargetPHI(t *testing.T) {
	tests := []struct {
		in       string
		kinds    string
		resource string
	}{
		{"/fhir/Patient?name=x&birthdate=1970&identifier=", "name,birth_date", "Patient"},
		{"/fhir/Patient?family:exact=x&address-city=y&phone=1", "name,address,phone", "Patient"},
		{"/fhir/Observation?subject.name=x&code=718-7", "name", "Observation"},
		{"/fhir/Patient/77", "patient_id", "Patient"},
		{"/fhir/Patient/$match", "", "Patient"},
		{"/api/lookup?mrn=1&ssn=2&email=3&accession=4", "patient_id,ssn,accession,other", ""},
		{"/status?verbose=1", "", ""},
	}
	for _, tt := range tests {
		var ti targetInfo
		reduceTarget([]byte(tt.in), &ti)
		assert.Equal(t, tt.kinds, ti.phi.String(), tt.in)
		assert.Equal(t, tt.resource, ti.resource, tt.in)
	}
}

func TestInspectBodies(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		name, body, resource, kinds string
		resources                   int
	}{
		{"patient", patientJSON, "Patient", "patient_id,name,birth_date,address,phone", 1},
		{"empty demographics", emptyPatientJSON, "Patient", "", 1},
		{"observation subject", observationJSON, "Observation", "patient_id", 1},
		{"bundle", bundle(observationJSON, patientJSON), "Bundle", "patient_id,name,birth_date,address,phone", 3},
		{"related person", `{"resourceType":"RelatedPerson","name":[{"family":"x"}],"patient":{"reference":"Patient/1"}}`, "RelatedPerson", "patient_id,relative", 1},
		{"resourceType last", `{"name":[{"text":"x"}],"resourceType":"Patient"}`, "Patient", "name", 1},
		{"unknown type", `{"resourceType":"Frobnicator","name":"x"}`, "other", "", 1},
		{"escaped strings", `{"resourceType":"Patient","note":"a \"name\": [1]","birthDate":"x"}`, "Patient", "birth_date", 1},
		{"cut mid-way", patientJSON[:120], "Patient", "patient_id,name", 1},
		{"xml observation", observationXML, "Observation", "patient_id", 1},
		{"xml patient", `<Patient xmlns="http://hl7.org/fhir"><name><family value="x"/></name><birthDate value="y"/></Patient>`, "Patient", "name,birth_date", 1},
		{"xml without fhir namespace", `<Patient><name>x</name></Patient>`, "", "", 0},
		{"hl7", hl7ORU, "", "patient_id,name,birth_date,address,phone,accession", 0},
		{"plain text", "hello\nMSHX no\n", "", "", 0},
		{"deep nesting", strings.Repeat("[", 200) + strings.Repeat("]", 200), "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bi bodyInfo
			var js jsonScanner
			inspect([]byte(tt.body), &cfg, &bi, &js)
			assert.Equal(t, tt.resource, bi.resource)
			assert.Equal(t, tt.kinds, bi.phi.String())
			assert.Equal(t, tt.resources, bi.resources)
		})
	}
}

func TestParseAuth(t *testing.T) {
	var buf [maxAuthBytes]byte
	a := parseAuth([]byte("Basic bGFidGVjaDpzM2NyZXQ="), &buf)
	assert.Equal(t, "basic", a.scheme)
	assert.Equal(t, "labtech", string(a.user))
	assert.True(t, a.credentials)
	a = parseAuth([]byte("basic !!!"), &buf)
	assert.Nil(t, a.user)
	assert.Equal(t, "basic", a.scheme)
	a = parseAuth([]byte(`Digest realm="r", username="labtech"`), &buf)
	assert.Equal(t, "labtech", string(a.user))
	assert.Equal(t, "ntlm", parseAuth([]byte("NTLM TlRMTVNTUAAB"), &buf).scheme)
	assert.Equal(t, "other", parseAuth([]byte("Custom x"), &buf).scheme)
	assert.Equal(t, "basic", parseAuth([]byte("Basic "+strings.Repeat("QUFB", 400)), &buf).scheme)
}

func TestProbe(t *testing.T) {
	tests := []struct {
		in   string
		want app.ProbeResult
	}{
		{"", app.NeedMore},
		{"GE", app.NeedMore},
		{"GET /x HTTP/1.1\r\n", app.Match},
		{"GET /x HT", app.NeedMore},
		{"GET /x", app.NeedMore},
		{"GET /x\r\n", app.NoMatch},
		{"GET /x FTP/1.0", app.NoMatch},
		{"POST /fhir HTTP/1.0\r\n", app.Match},
		{"HTTP/1.1 200 OK\r\n", app.Match},
		{"HTTP/1.1 2", app.NeedMore},
		{"HTTP/1.1 abc", app.NoMatch},
		{"\x16\x03\x01", app.NoMatch},
		{"220 ftp ready\r\n", app.NoMatch},
		{"GETX / HTTP/1.1", app.NoMatch},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Probe([]byte(tt.in)), "%q", tt.in)
	}
}

func TestLimitsAndGivingUp(t *testing.T) {
	garbage := make([]byte, 1<<20)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	tests := []struct {
		name    string
		cfg     *Config
		steps   []step
		types   string
		reasons string
	}{
		{"garbage gives up once", nil, []step{{dir: c2s, data: string(garbage)}, {dir: c2s, data: request("GET / HTTP/1.1", "", "")}},
			"", "bad_start_line,no_resync,no_resync,no_resync,no_resync,no_resync,no_resync,no_resync,gave_up"},
		{"header too large", &Config{MaxHeaderBytes: 64}, []step{{dir: c2s, data: request("GET / HTTP/1.1", "X-Long: "+strings.Repeat("a", 100)+"\r\n", "") + request("GET /ok HTTP/1.1", "", "")}},
			"GET", "header_too_large"},
		{"pending overflow", &Config{MaxPending: 2}, []step{{dir: c2s, data: strings.Repeat(request("GET / HTTP/1.1", "", ""), 3)}},
			"GET,GET,GET", "pending_overflow"},
		{"too many headers", &Config{MaxHeaders: 2}, []step{{dir: c2s, data: request("GET / HTTP/1.1", "A: 1\r\nB: 2\r\nC: 3\r\n", "")}},
			"GET", ""},
		{"bad header line", nil, []step{{dir: c2s, data: request("GET / HTTP/1.1", "no colon here\r\n", "") + request("GET /ok HTTP/1.1", "", "")}},
			"GET", "bad_header"},
		{"bad content length", nil, []step{{dir: c2s, data: "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"}},
			"", "bad_header"},
		{"body inspection cap", &Config{MaxBodyInspect: 50}, []step{{dir: s2c, data: response("200 OK", fhirJSON, patientJSON)}},
			"response", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := play(tt.steps, tt.cfg, nil)
			assert.Equal(t, tt.types, strings.Join(rec.Types(), ","))
			assert.Equal(t, tt.reasons, strings.Join(rec.Reasons(), ","))
			assertNoPlanted(t, rec)
		})
	}
	rec := play([]step{{dir: c2s, data: request("GET / HTTP/1.1", "A: 1\r\nB: 2\r\nC: 3\r\n", "")}}, &Config{MaxHeaders: 2}, nil)
	require.Len(t, rec.Msgs, 1)
	assert.Equal(t, 1, rec.Msgs[0].Counts[CountHeadersSkip])
	rec = play([]step{{dir: s2c, data: response("200 OK", fhirJSON, patientJSON)}}, &Config{MaxBodyInspect: 50}, nil)
	assert.Equal(t, 1, rec.Msgs[0].Counts[CountBodyTrunc])
}

// TestNoPatientValuesInErrors plants patient values in malformed input and
// checks every error the package can return and every anomaly.
func TestNoPatientValuesInErrors(t *testing.T) {
	var h head
	for _, block := range []string{
		"DOE^JANE MRN00042\r\n\r\n",
		"GET /x HTTP/1.1\r\nDOE^JANE MRN00042\r\n\r\n",
		"POST /x HTTP/1.1\r\nContent-Length: 1970-01-01\r\n\r\n",
	} {
		err := parseHead([]byte(block), 10, &h)
		require.Error(t, err)
		for _, v := range planted {
			assert.NotContains(t, err.Error(), v)
		}
	}
	rec := play([]step{
		{dir: c2s, data: "DOE^JANE MRN00042 1970-01-01\r\n"},
		{dir: c2s, data: "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nDOE^JANE\r\n"},
		{dir: s2c, data: "HTTP/1.1 200 OK\r\nContent-Length: 555-0100\r\n\r\n"},
	}, nil, nil)
	require.NotEmpty(t, rec.Anoms)
	assertNoPlanted(t, rec)
}
