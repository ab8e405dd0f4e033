// Package tls is the analyzer for TLS (SSL 3.0 to TLS 1.3) on TCP. It reads
// the clear-text start of a session — ClientHello, ServerHello, alerts — and
// reports versions, server names, ALPN, the chosen cipher suite and client
// and server fingerprints, so that detection can inventory encrypted services
// and flag obsolete ones. It never decrypts anything.
//
// # Name
//
// tls — registry name "tls"; registered ports (Ports): 443, 8443, 2762 (DICOM
// over TLS), 6514 (syslog over TLS), 636, 993, 995, 465. Content
// identification (Probe) finds TLS on any port from a handshake record header
// followed by a hello header.
//
// # Wiring
//
//	cfg := tls.DefaultConfig()
//	if tls.Probe(firstBytes) == app.Match { ... }
//	an := tls.NewAnalyzer(flow, emitter, &cfg) // app.Analyzer, one per TCP flow
//	err := tls.ParseClientHello(body, &hello) // one hello, without framing
//
// # Description
//
// Each direction is walked record by record (RFC 8446 §5.1): the 5-byte
// header is checked (content type 20–24, version 3.0–3.4, length within
// MaxRecordBytes) and the body is skipped by count, except for clear-text
// handshake, alert and heartbeat records. Handshake messages are cut out of
// handshake records across record boundaries; ClientHello and ServerHello
// are parsed (in place when whole in one slice, else copied into a buffer
// bounded by MaxHelloBytes), every other handshake message is skipped.
// ChangeCipherSpec marks the rest of the direction as ciphertext. At the first
// hello the flow is marked encrypted (app.Flow.Encrypted), so that no PHI
// finding is ever attributed to it.
//
// # Emitted messages
//
// App "tls". Type (summary key):
//
//   - client_hello: Version and Attrs "version" = the highest version offered
//     (supported_versions, else legacy_version); "sni" (first host_name,
//     truncated to MaxNameBytes, non-printable bytes as '?'); "alpn" (offered
//     protocols, comma-separated); "ja4" (FoxIO JA4, "t" for TCP); "ja3" (MD5).
//     Counts "ciphers", "extensions" (GREASE excluded).
//   - server_hello: Version and "version" = the negotiated version
//     (supported_versions, else legacy_version); "cipher" (IANA name, or
//     "0x…"); "alpn" (chosen, TLS 1.2 only: TLS 1.3 sends it encrypted);
//     "ja3s"; "weak_cipher" (null, export, anon, rc4, des, 3des). Counts
//     "hello_retry" (a HelloRetryRequest), "compression" (TLS compression
//     chosen, CRIME).
//   - alert: a clear-text alert (a refused handshake): "alert" (description
//     name, e.g. protocol_version) and "level" (warning, fatal).
//
// On both hellos "insecure" is set to "ssl3", "tls1.0" or "tls1.1" when the
// version is one of those (RFC 7568, RFC 8996): detection raises
// insecure_protocol on it. A ClientHello in the SSL 2.0 record format (a
// direction opening with a two-byte header whose high bit is set) is reported
// as client_hello with "insecure" = "ssl2" (SSL 2.0) or "ssl2_hello" (a newer
// version offered in the format RFC 6176 forbids), Counts "ssl2_format" and
// "ciphers"; it has no extensions, hence no SNI, ALPN or fingerprint. Version names are "ssl3", "tls1.0" … "tls1.3", or
// the hex code of anything else. Bytes is the handshake message size (header
// included). No attribute carries patient data; the package never reads
// application data.
//
// # Fingerprints
//
// JA4 follows github.com/FoxIO-LLC/ja4 technical_details/JA4.md: GREASE
// values (RFC 8701) ignored everywhere; counts capped at 99; ALPN first and
// last characters, or the hex digits of the first and last bytes when either
// is not alphanumeric, "00" without ALPN; cipher hash over the sorted
// four-digit hex list; extension hash over the sorted list without SNI and
// ALPN, then "_" and the signature algorithms in wire order (no "_" when there
// are none); "000000000000" for an empty list. JA3 and JA3S follow
// Salesforce's definitions (decimal, dash-separated, GREASE removed, MD5).
// Tests check both against published values and JA3/JA3S against tshark.
//
// # Anomalies
//
// Reason codes (errors.go): not_tls (the first record header of a direction
// is not TLS), bad_record, record_too_large, bad_handshake (a hello that does
// not parse), hello_too_large, no_resync (no header within MaxResyncBytes) —
// these are violations; gap_resync, heartbeat_overread (a clear-text
// heartbeat claiming more payload than it carries, a Heartbleed probe) and
// truncated_hello (the stream ended inside a hello) are reported without
// counting. MaxViolations violations make the analyzer report gave_up once
// (GaveUp set) and ignore the flow; three consecutive valid records clear the
// count, so a flow picked up mid-stream recovers. Details name types, sizes
// and versions, never content.
//
// # Gaps and mid-stream starts
//
// A gap of known size inside an opaque record body is absorbed by the count
// and costs nothing. Any other gap drops a partial hello and searches for the
// next plausible record header (handshake, alert or application data, version
// 3.x, non-zero length within the cap), as does a direction whose first bytes
// are not a record header.
//
// # Limits
//
// Config (config.go): MaxRecordBytes (2^14+2048), MaxHelloBytes (64 KiB),
// MaxResyncBytes (64 KiB), MaxViolations (8), MaxNameBytes (255). Per flow the
// analyzer holds two record-header arrays and at most two hello buffers; the
// steady state on encrypted records allocates nothing (locked in by
// TestEncryptedRecordsDoNotAllocate).
//
// # Test data
//
// testdata/pcap holds loopback captures of openssl s_client and s_server made
// by testdata/pcap/capture.sh (TLS 1.3 with SNI and ALPN, TLS 1.2, TLS 1.0,
// and a TLS 1.0 client refused with a protocol_version alert); golden files
// in testdata/golden are rewritten with go test -update and include tshark's
// view of each capture.
package tls
