// Package http is the analyzer for clear-text HTTP/1.0 and HTTP/1.1, the
// transport of FHIR REST APIs, device web interfaces and HL7-over-HTTP
// interface engines. It reports each request and response without any patient
// value: method, host, a reduced path, status, software, the FHIR resource or
// HL7 v2 message a body carries and which patient identifier kinds it holds,
// and whether credentials crossed in clear.
//
// # Name
//
// http — registry name "http"; registered ports (Ports): 80, 8080, 8000, 8008,
// 8081, 8888. Content identification (Probe) finds HTTP on any port from a
// request line (a listed method, a target, "HTTP/1.") or a status line.
//
// # Wiring
//
//	cfg := http.DefaultConfig()
//	if http.Probe(firstBytes) == app.Match { ... }
//	an := http.NewAnalyzer(flow, emitter, &cfg) // app.Analyzer, one per TCP flow
//
// # Description
//
// Each direction is parsed by a resumable state machine (RFC 9112): start line
// and headers (parsed in place when whole in one Data slice, else gathered in a
// buffer bounded by MaxHeaderBytes), then the body delimited by Content-Length,
// chunked coding (with trailers) or, for a response, the close. Requests wait
// in a bounded FIFO (MaxPending) for their response, so pipelining, HEAD, 1xx
// interim responses, 204 and 304 are delimited correctly. CONNECT and 101
// Switching Protocols end HTTP on the flow (tunnel). A message is emitted when
// its body is complete; the first MaxBodyInspect bytes of a body whose type is
// clinical or text (json, xml, fhir, hl7, er7, text/, or none declared) are
// examined, gzip bodies inflated within the same bound.
//
// # Emitted messages
//
// App "http". Type: the request method ("GET", "POST" … from a fixed list,
// "other" for any other token) or "response". Version "1.0"/"1.1"; Software the
// User-Agent (requests) or Server (responses); AckLatency on a response is the
// time since its request. Attrs (keys.go): "method", "host", "path", "status",
// "user_agent", "server", "content_type", "fhir_resource", "hl7_type", "auth",
// "user_hash"; a response carries the method and path of the request it
// answers. Counts: "headers", "headers_skipped", "body_bytes",
// "body_truncated", "encoded_body", "chunks", "fhir_resources",
// "hl7_messages", "credentials". Bytes is head plus body (chunk framing
// excluded). Header values are truncated to MaxValueBytes and made printable.
//
// Paths never carry identifiers: the query and fragment are dropped, only the
// first two segments are kept, and a segment that may be an identifier or a
// name (all digits, two digits or more, characters other than letters, digits
// and ._~-$, longer than 32 bytes, or an upper-case letter outside a FHIR
// resource type) becomes ":id" — /fhir/Patient/pat-77?x=1 is reported as
// /fhir/Patient, /patient/Smith as /patient/:id.
//
// # Patient identifiers
//
// Reported as kinds (app.PHISet) and static field names, never values:
//
//   - request-target: a Patient id in the path ("HTTP path Patient/:id");
//     non-empty search parameters name, family, given, phonetic (name),
//     birthdate, dob (birth date), identifier, mrn, patient, patient_id,
//     subject (patient id), address and address-* (address), phone, telecom
//     (phone), email (other), ssn, accession — matched on the base name, so
//     modifiers and chains (name:exact, subject.name) count ("HTTP query name").
//   - FHIR JSON or XML (XML only with the hl7.org/fhir namespace): in a Patient
//     or Person, non-empty name, birthDate, identifier, address, telecom,
//     contact ("FHIR Patient.name" …); in a RelatedPerson the same as relative;
//     in any resource a non-empty subject or patient reference ("FHIR subject
//     reference"). Bundles are walked entry by entry. "fhir_resource" is the
//     top-level resourceType (from a fixed list of resource types, "other"
//     otherwise), else the type named in the path.
//   - HL7 v2: each message starting a line with MSH is parsed with
//     labwatch/protocols/hl7 (up to MaxHL7Messages); its PHI kinds and fields
//     ("PID-5" …) are merged and "hl7_type" is the first message's key.
//
// # Credentials
//
// Authorization and Proxy-Authorization: "auth" is the scheme (basic, bearer,
// digest, ntlm, negotiate, other). Basic and Digest user names are reported
// only as app.KeyedHash in "user_hash"; the password and tokens are never
// copied. Basic, Bearer and Digest set Counts["credentials"] = 1.
//
// # Anomalies
//
// Reason codes (errors.go). Violations: bad_start_line, bad_header,
// header_too_large, bad_chunk, no_resync. Reported only: ambiguous_length
// (Content-Length with chunked, or two lengths — request smuggling),
// gap_resync, pending_overflow, truncated. MaxViolations violations without a
// well-formed message make the analyzer report gave_up once and ignore the
// flow. Details give sizes and line lengths, never content.
//
// # Gaps and mid-stream starts
//
// A gap of known size inside a body of known length (or a body delimited by
// the close) is absorbed by the count: inspection stops and body_truncated is
// counted. Any other gap drops the message and the direction searches for the
// next line starting with a method or "HTTP/1."; a direction whose first line
// is not a start line does the same after one bad_start_line.
//
// # Limits
//
// Config (config.go): MaxHeaderBytes 16 KiB, MaxHeaders 128, MaxBodyInspect
// 64 KiB, MaxChunkLine 1 KiB, MaxPending 64, MaxResyncBytes 64 KiB,
// MaxViolations 8, MaxValueBytes 128, MaxHL7Messages 16. Per flow: two header
// buffers, two chunk-line buffers, two body buffers, one inflate buffer.
//
// # Test data
//
// The conversations are generated by conv_test.go (fictional patients only);
// golden files in testdata/golden are rewritten with go test -update. Each
// conversation tshark can read is written to a pcap and tshark's method, host,
// user agent, status, server and Basic user (hashed) must match ours.
package http
