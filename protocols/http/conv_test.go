package http

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
)

// Synthetic conversations: the generator of every HTTP test stream. All
// patient values are fictional and planted so that tests can prove they never
// come out (see planted).

const (
	patientJSON = `{"resourceType":"Patient","id":"pat-77","identifier":[{"system":"urn:mrn","value":"MRN00042"}],` +
		`"name":[{"family":"Doe","given":["Jane"]}],"telecom":[{"system":"phone","value":"555-0100"}],` +
		`"gender":"female","birthDate":"1970-01-01","address":[{"line":["1 Main St"],"city":"Springfield"}]}`
	observationJSON = `{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},` +
		`"subject":{"reference":"Patient/pat-77"},"valueQuantity":{"value":13.2,"unit":"g/dL"}}`
	emptyPatientJSON = `{"resourceType":"Patient","id":"anon","name":[],"birthDate":null,"telecom":[]}`
	observationXML   = `<?xml version="1.0"?><Observation xmlns="http://hl7.org/fhir"><status value="final"/>` +
		`<code><coding><system value="http://loinc.org"/><code value="2345-7"/></coding></code>` +
		`<subject><reference value="Patient/pat-77"/></subject></Observation>`
	hl7ORU = "MSH|^~\\&|ANALYZER|LAB|LIS|HOSP|20260304140000||ORU^R01|MSG0001|P|2.5.1\r" +
		"PID|1||MRN00042^^^HOSP^MR||DOE^JANE||19700101|F|||1 Main St^^Springfield||555-0100\r" +
		"OBR|1||ACC7788|718-7^Hemoglobin^LN\rOBX|1|NM|718-7^Hemoglobin^LN||13.2|g/dL|||||F\r"
	hl7ACK = "MSH|^~\\&|LIS|HOSP|ANALYZER|LAB|20260304140001||ACK^R01|ACK0001|P|2.5.1\rMSA|AA|MSG0001\r"
)

// planted are the fictional patient values the conversations carry.
var planted = []string{"Doe", "Jane", "DOE^JANE", "MRN00042", "1970-01-01", "19700101", "555-0100", "1 Main St",
	"pat-77", "ACC7788", "123-45-6789", "s3cret", "labtech", "eyJhbGciOi"}

func bundle(entries ...string) string {
	var b strings.Builder
	b.WriteString(`{"resourceType":"Bundle","type":"searchset","entry":[`)
	for i, e := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"fullUrl":"urn:uuid:%d","resource":%s}`, i, e)
	}
	b.WriteString("]}")
	return b.String()
}

// response builds a response with a Content-Length body.
func response(status, headers, body string) string {
	return fmt.Sprintf("HTTP/1.1 %s\r\n%sContent-Length: %d\r\n\r\n%s", status, headers, len(body), body)
}

// request builds a request with a Content-Length body when body is not empty.
func request(line, headers, body string) string {
	if body == "" {
		return line + "\r\n" + headers + "\r\n"
	}
	return fmt.Sprintf("%s\r\n%sContent-Length: %d\r\n\r\n%s", line, headers, len(body), body)
}

// chunked encodes body in chunks of size bytes, with a trailer.
func chunked(body string, size int) string {
	var b strings.Builder
	for len(body) > 0 {
		n := min(size, len(body))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, body[:n])
		body = body[n:]
	}
	b.WriteString("0\r\nX-Trailer: done\r\n\r\n")
	return b.String()
}

func gzipped(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

const (
	basicAuth = "Authorization: Basic bGFidGVjaDpzM2NyZXQ=\r\n" // labtech:s3cret
	ua        = "User-Agent: LabBridge/4.2 (Windows NT 10.0)\r\n"
	server    = "Server: HAPI FHIR 6.10.0 REST Server\r\n"
	fhirJSON  = "Content-Type: application/fhir+json; charset=utf-8\r\n"
)

// conversation is one scripted flow; pcap says whether tshark can read its
// data steps as a normal connection.
type conversation struct {
	name  string
	note  string
	steps []step
	port  uint16
	pcap  bool
}

var (
	c2s = step{}.dir
	s2c = c2s ^ 1
)

func conversations() []conversation {
	return []conversation{
		{
			name: "fhir_patient_read_basic_auth", port: 8080, pcap: true,
			note: "GET of a Patient with Basic authentication; the response carries every demographic element",
			steps: []step{
				{dir: c2s, data: request("GET /fhir/Patient/pat-77?_format=json HTTP/1.1", "Host: fhir.lab.example:8080\r\n"+ua+basicAuth+"Accept: application/fhir+json\r\n", "")},
				{dir: s2c, data: response("200 OK", server+fhirJSON, patientJSON)},
			},
		},
		{
			name: "fhir_search_chunked_bundle", port: 8080, pcap: true,
			note: "Observation search by patient and name; chunked Bundle of two Observations and the included Patient",
			steps: []step{
				{dir: c2s, data: request("GET /baseR4/Observation?patient=Patient/pat-77&name:exact=Doe&code=718-7 HTTP/1.1", "Host: fhir.lab.example\r\n"+ua, "")},
				{dir: s2c, data: "HTTP/1.1 200 OK\r\n" + server + fhirJSON + "Transfer-Encoding: chunked\r\n\r\n" + chunked(bundle(observationJSON, observationJSON, patientJSON), 100)},
			},
		},
		{
			// tshark reads a body after the HEAD response: no cross-check.
			name: "pipelined_head_304", port: 80, pcap: false,
			note: "three pipelined requests in one segment (GET, HEAD, conditional GET) and their responses in one segment",
			steps: []step{
				{dir: c2s, data: request("GET /status HTTP/1.1", "Host: analyzer-07\r\n", "") + request("HEAD /results/2026/03/04 HTTP/1.1", "Host: analyzer-07\r\n", "") +
					request("GET /config.xml HTTP/1.1", "Host: analyzer-07\r\nIf-None-Match: \"v3\"\r\n", "")},
				{dir: s2c, data: response("200 OK", "Server: lighttpd/1.4.35\r\nContent-Type: text/plain\r\n", "ready\n") +
					"HTTP/1.1 200 OK\r\nServer: lighttpd/1.4.35\r\nContent-Length: 5120\r\n\r\n" +
					"HTTP/1.1 304 Not Modified\r\nServer: lighttpd/1.4.35\r\nETag: \"v3\"\r\n\r\n"},
			},
		},
		{
			name: "hl7_over_http", port: 8000, pcap: true,
			note: "HL7 v2 ORU posted in an HTTP body (interface engine), ACK in the response",
			steps: []step{
				{dir: c2s, data: request("POST /hl7/inbound HTTP/1.1", "Host: engine.lab.example\r\nContent-Type: x-application/hl7-v2+er7\r\n", hl7ORU)},
				{dir: s2c, data: response("200 OK", "Content-Type: x-application/hl7-v2+er7\r\n", hl7ACK)},
			},
		},
		{
			name: "fhir_xml_create_100_continue", port: 8080, pcap: true,
			note: "XML Observation create with Expect: 100-continue; interim 100 then 201",
			steps: []step{
				{dir: c2s, data: request("POST /fhir/Observation HTTP/1.1", "Host: fhir.lab.example\r\nContent-Type: application/fhir+xml\r\nExpect: 100-continue\r\n", observationXML)},
				{dir: s2c, data: "HTTP/1.1 100 Continue\r\n\r\n"},
				{dir: s2c, data: response("201 Created", server+"Location: /fhir/Observation/991/_history/1\r\n", "")},
			},
		},
		{
			name: "gzip_patient_bearer", port: 8080, pcap: false,
			note: "Bearer token in clear; gzip-encoded Patient response, inflated for inspection",
			steps: []step{
				{dir: c2s, data: request("GET /fhir/Patient?identifier=urn:mrn|MRN00042 HTTP/1.1", "Host: fhir.lab.example\r\nAuthorization: Bearer eyJhbGciOiJub25lIn0.e30.\r\nAccept-Encoding: gzip\r\n", "")},
				{dir: s2c, data: response("200 OK", fhirJSON+"Content-Encoding: gzip\r\n", gzipped(bundle(patientJSON)))},
			},
		},
		{
			name: "digest_empty_patient_until_close", port: 80, pcap: true,
			note: "Digest credentials (user name hashed); HTTP/1.0 response delimited by the close with an empty Patient",
			steps: []step{
				{dir: c2s, data: request("GET /api/patients/anon HTTP/1.0", `Authorization: Digest username="labtech", realm="lab", nonce="abc", uri="/api/patients/anon", response="0123"`+"\r\n", "")},
				{dir: s2c, data: "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + emptyPatientJSON},
				{dir: s2c, end: true},
			},
		},
		{
			name: "connect_and_websocket", port: 3128, pcap: false,
			note: "CONNECT tunnel carrying TLS bytes after 200; nothing after it is parsed",
			steps: []step{
				{dir: c2s, data: request("CONNECT fhir.cloud.example:443 HTTP/1.1", "Host: fhir.cloud.example:443\r\n", "")},
				{dir: c2s, data: "\x16\x03\x01\x00\x10binary-client-hello"},
				{dir: s2c, data: "HTTP/1.1 200 Connection established\r\n\r\n"},
				{dir: s2c, data: "\x16\x03\x03\x00\x10binary-server-hello"},
			},
		},
		{
			name: "websocket_upgrade", port: 80, pcap: false,
			note: "101 Switching Protocols to a WebSocket: frames after it are not parsed",
			steps: []step{
				{dir: c2s, data: request("GET /ws/results HTTP/1.1", "Host: lis\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "")},
				{dir: s2c, data: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello"},
				{dir: c2s, data: "\x81\x85abcd\x01\x02\x03\x04\x05"},
			},
		},
		{
			name: "gaps_and_resync", port: 80, pcap: false,
			note: "a known gap inside a body keeps the parser in step; an unknown gap resynchronises at the next request",
			steps: []step{
				{dir: c2s, data: request("POST /upload HTTP/1.1", "Host: x\r\nContent-Type: application/octet-stream\r\n", strings.Repeat("z", 1000))[:300]},
				{dir: c2s, gap: 200},
				{dir: c2s, data: request("POST /upload HTTP/1.1", "Host: x\r\nContent-Type: application/octet-stream\r\n", strings.Repeat("z", 1000))[500:]},
				{dir: c2s, data: request("GET /a HTTP/1.1", "Host: x\r\n", "")[:10]},
				{dir: c2s, gap: -1},
				{dir: c2s, data: "garbage tail\r\n" + request("GET /b HTTP/1.1", "Host: x\r\n", "")},
			},
		},
		{
			name: "mid_stream_start", port: 80, pcap: false,
			note: "capture starts inside a response body; the next response is parsed, the request it answers is unknown",
			steps: []step{
				{dir: s2c, data: "tail of an earlier body\r\n" + response("200 OK", "Server: nginx\r\n", "ok")},
			},
		},
		{
			name: "smuggling_and_bad_chunk", port: 80, pcap: false,
			note: "Content-Length with chunked (ambiguous_length), then a chunk-size line that is not hex",
			steps: []step{
				{dir: c2s, data: "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked("abcd", 4)},
				{dir: c2s, data: "POST /y HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
				{dir: c2s, data: request("GET /after HTTP/1.1", "Host: x\r\n", "")},
			},
		},
		{
			name: "truncated_request", port: 80, pcap: false,
			note: "the client closes inside a request body",
			steps: []step{
				{dir: c2s, data: request("PUT /fhir/Patient/pat-77 HTTP/1.1", "Host: x\r\n"+fhirJSON, patientJSON)[:200]},
				{dir: c2s, end: true},
			},
		},
	}
}
