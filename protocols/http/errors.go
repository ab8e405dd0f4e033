package http

// Reason codes of the anomalies the analyzer reports. They are stable: metrics
// and the summary key on them.
const (
	// Violations (count toward gave_up).
	ReasonBadStartLine    = "bad_start_line"   // not a request line or a status line
	ReasonBadHeader       = "bad_header"       // a header line without a colon, or a bad Content-Length
	ReasonHeaderTooLarge  = "header_too_large" // start line and headers past MaxHeaderBytes
	ReasonBadChunk        = "bad_chunk"        // chunk-size line malformed or past MaxChunkLine
	ReasonAmbiguousLength = "ambiguous_length" // Content-Length with chunked, or differing lengths (request smuggling)
	ReasonNoResync        = "no_resync"        // no start line within MaxResyncBytes

	// Reported without counting.
	ReasonGapResync       = "gap_resync"       // bytes lost; resumed at the next start line
	ReasonPendingOverflow = "pending_overflow" // MaxPending requests without response; oldest dropped
	ReasonTruncated       = "truncated"        // the stream ended inside a message
	ReasonGaveUp          = "gave_up"          // too many violations: the rest of the flow is ignored
)
