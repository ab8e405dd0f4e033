package http

// Summary key of responses; requests are keyed by method ("GET", "POST" …,
// "other" for unlisted methods).
const TypeResponse = "response"

// Keys of app.Message.Attrs and Counts set by the analyzer. Values are never
// patient data: paths are reduced (ReducePath), header values truncated, user
// names only as app.KeyedHash.
const (
	AttrMethod       = "method"        // request method; on a response, that of the request it answers
	AttrHost         = "host"          // Host header (request)
	AttrPath         = "path"          // reduced path; on a response, that of the request it answers
	AttrStatus       = "status"        // status code (response)
	AttrUserAgent    = "user_agent"    // User-Agent (request)
	AttrServer       = "server"        // Server (response)
	AttrContentType  = "content_type"  // media type without parameters
	AttrFHIRResource = "fhir_resource" // top-level FHIR resourceType of the body, else the one named in the path
	AttrHL7Type      = "hl7_type"      // summary key of the first HL7 v2 message in the body
	AttrAuth         = "auth"          // Authorization scheme: basic, bearer, digest, ntlm, negotiate, other
	AttrUserHash     = "user_hash"     // app.KeyedHash of the Basic or Digest user name

	CountCredentials = "credentials"     // 1 when a reusable secret crossed (Basic, Bearer, Digest)
	CountHeaders     = "headers"         // header lines read
	CountHeadersSkip = "headers_skipped" // header lines past MaxHeaders
	CountBodyBytes   = "body_bytes"      // body size (chunk framing excluded)
	CountBodyTrunc   = "body_truncated"  // 1 when only a prefix of the body was examined (cap or gap)
	CountEncodedBody = "encoded_body"    // 1 when a content coding other than gzip hid the body
	CountChunks      = "chunks"          // chunks of a chunked body
	CountFHIR        = "fhir_resources"  // FHIR resources in the body (Bundle entries included)
	CountHL7         = "hl7_messages"    // HL7 v2 messages in the body
)
