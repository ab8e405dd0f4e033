// Package dns is the analyzer for the Domain Name System (RFC 1035) on a lab
// network: which names devices look up, and what the server answers. Host names
// are device identity, never patient data.
//
// # Name
//
// dns — registry name "dns"; UDP port 53 (and mDNS 5353) through
// NewDatagramAnalyzer, TCP port 53 through NewAnalyzer and Probe.
//
// # Description
//
// Over UDP each datagram is one message. Over TCP each message is preceded by
// its two-byte length (RFC 7766); a message lying whole inside one Data call is
// parsed in place, a split one is copied into one buffer per direction. Parse
// reads the header, the first question (name, type, class), skips further
// questions and walks every resource record's bounds, keeping the first answer
// that names a host (A, AAAA, CNAME, PTR). Names follow compression pointers;
// a pointer must point before itself and at most MaxPointers are followed, so
// a loop cannot hang the parser. Names are rendered lower-case, dot-separated,
// with bytes outside printable ASCII and dots inside labels written \DDD or
// \. (RFC 4343 style). Queries are remembered per flow (MaxPending, a ring)
// to match responses by ID and measure their latency.
//
// # Emitted message
//
// App "dns"; Type "query" or "response"; ControlID the message ID (decimal);
// AckLatency for a response whose query was seen; Bytes the message size.
// Counts, when not zero: "questions", "answers", "authority", "additional",
// "truncated_flag" (TC set). Attrs keys of this package:
//
//   - "qname": the first question's name (lower case, no trailing dot).
//   - "qtype": its type mnemonic (A, AAAA, PTR, SRV, … or TYPEn).
//   - "rcode": on responses, NOERROR, NXDOMAIN, SERVFAIL, … or RCODEn.
//   - "opcode": when not QUERY (NOTIFY, UPDATE, …).
//   - "answer": on responses, the first A/AAAA address or CNAME/PTR target.
//
// # Anomalies
//
// Reason codes (errors.go): bad_header (under 12 bytes, zero-length TCP
// message, no question), bad_name (label type 0x40/0x80, name over 255 bytes,
// pointer loop or forward pointer), truncated (records or a TCP message cut
// short), too_many_records (past MaxRecords), msg_too_large (TCP message past
// MaxMessageBytes, skipped), gap_resync (a TCP direction with lost bytes is no
// longer parsed: length prefixes cannot be found again), gave_up. A message
// whose header and question read well is emitted even when its records are
// broken; the record error is then an anomaly but not a violation.
// MaxViolations malformed messages in a row make the analyzer report gave_up
// once and ignore the flow. Details give sizes and counts, never names.
//
// # Limits
//
// Config (config.go): MaxMessageBytes (65535), MaxRecords (256), MaxPointers
// (16), MaxPending (32), MaxViolations (8). A flow's analyzer holds one
// Summary (two 1 KiB name arrays) and, over TCP, at most one message buffer
// per direction.
package dns
