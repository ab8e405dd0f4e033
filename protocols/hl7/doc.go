// Package hl7 analyzes HL7 v2 (2.1 to 2.8) on TCP: MLLP-framed or raw,
// single messages or FHS/BHS batches, and reports each message to detection
// without any patient value.
//
// # Description
//
// HL7 v2 carries orders, results and patient administration between the LIS,
// the interface engine and some analyzers. The analyzer follows both
// directions of a flow, cuts the streams into messages, parses each one in
// place, matches acknowledgements with the messages they acknowledge, and
// emits one app.Message per well-formed message and one app.Anomaly per
// violation. It identifies HL7 by content (Probe), not by port 2575.
//
// # Wiring
//
//	cfg := hl7.DefaultConfig()                 // or loaded from YAML
//	if hl7.Probe(firstBytes) == app.Match { ... }
//	an := hl7.NewAnalyzer(flow, emitter, &cfg) // one per TCP flow; app.Analyzer
//	s, err := hl7.ParseMessage(msg, &cfg)      // one message, no framing
//
// # Framing
//
// Each direction picks its framing on its first visible byte:
//
//   - MLLP: 0x0B, the message, 0x1C 0x0D. Frames may be split across Data
//     calls or share one; padding (CR, LF, spaces, NUL) between frames is
//     ignored and other bytes are stray_bytes; an end block without CR is
//     accepted and reported once (bad_mllp_framing); a new start block
//     inside a frame closes it (missing_end_block) and the content is still
//     parsed; an empty frame is a keep-alive.
//   - Raw: a stream that starts with MSH, FHS or BHS (files, some vendors).
//     Records start at lines beginning with MSH, FHS, BHS, BTS or FTS, so a
//     message ends where the next one starts, when the direction closes, or
//     when the peer answers after a complete line.
//   - UTF-16 (byte order mark, or "M\0S\0H\0"): transcoded to UTF-8 before
//     parsing, in MLLP frames and files; a raw UTF-16 direction is buffered
//     whole.
//
// A capture that joins a connection in the middle skips to the next start
// block or header line. After a Gap the partial message is dropped
// (gap_resync) and parsing resumes at the next start block, or at the next
// MSH at the start of a line without MLLP. Batches (FHS {BHS {MSH...} BTS}
// FTS) are followed per direction, in raw streams and inside MLLP frames.
//
// # Parsing
//
// Separators come from MSH-1 and MSH-2 (never assumed; one to five encoding
// characters). Segments end with CR, LF or CRLF; blank lines are skipped.
// Escape sequences (\F\ \S\ \T\ \R\ \E\ \P\ \Xhh\ \H\ \N\ \.br\ ...) are
// decoded only in the header values copied out (see AppendUnescaped), never
// on the hot path. Fields are sub-slices of the input: no allocation per
// field and no string conversion until the summary's few header values are
// copied, in one allocation per message.
//
// # Fields extracted
//
// Summary holds, from non-patient fields only: MSH-3..6 (component 1, or the
// universal ID), MSH-7, MSH-9 (type, event, structure), MSH-10, MSH-11,
// MSH-12, MSH-15/16, MSH-18; MSA-1/MSA-2; the first ERR code; SFT vendor,
// version and product; the first device identifier (PRT-16 UDI, PRT-10,
// OBX-18, EQU-1); counts of segments by id, of Z-segments and of OBX value
// types; and the enclosing FHS/BHS header. PHI fields are tested for
// presence only (a value other than separators, spaces and ""): PID-2/3/4
// (patient_id), PID-5/9 (name), PID-7 (birth_date), PID-11 (address),
// PID-13/14 (phone), PID-18, PV1-19 (account), PID-19 (ssn), NK1, GT1, IN1/IN2
// (relative, insurance, ssn), MRG, ORC/OBR-2/3, SPM-2, SAC-3 (accession),
// QRD-8 and QPD-3 (query parameters, by the PID field they name).
//
// # Messages
//
// app.Message: App "hl7"; Type "TYPE^EVENT" ("ACK" for any acknowledgement);
// Sender "MSH-3^MSH-4" and Receiver "MSH-5^MSH-6"; Version; ControlID; Ack
// (MSA-1) and AckLatency (capture time since the acknowledged message);
// Results (OBX), Orders (ORC, else OBR), Queries (QRD, QPD); PHI kinds and
// PHIFields ("PID-5"); Device; Software ("PRODUCT VERSION"); Counts with
// "segments", segment ids ("OBX", "NTE", "ERR" ...), "Z", "other",
// "bad_segments", value types ("OBX.NM"), "truncated", "in_batch", "resent";
// Bytes. Negative acknowledgements (AE, AR, CE, CR) are reported through
// Message.Ack only, not as anomalies too.
//
// # Anomalies
//
// Reason codes (constants in errors.go):
//
//	bad_mllp_framing   end block without CR (once per direction); several messages in one frame
//	stray_bytes        visible bytes between frames or records (counted, one report per run)
//	missing_end_block  frame closed by a new start block or by the end of the stream
//	msg_too_large      message over max_message_bytes: its head is parsed, the rest skipped
//	gap_resync         bytes lost in capture; the partial message was discarded
//	bad_msh            no MSH, or MSH-1/MSH-2 unusable         (message not emitted)
//	missing_msh9       MSH-9 empty                              (message not emitted)
//	bad_msh9           MSH-9 type malformed (not emitted); event malformed (warning)
//	bad_encoding       UTF-16 content of odd length             (not emitted)
//	orphan_segments    segments outside any message (after FHS/BHS, without MSH)
//	bad_batch          FHS/BHS/BTS/FTS out of order, unclosed, or counts that do not match
//	too_many_segments  more than max_segments; the rest skipped (warning)
//	bad_segment_id     segment id not [A-Z][A-Z0-9]{2} (warning)
//	control_chars      control bytes other than CR, LF, TAB (warning)
//	missing_msh10      empty control ID (warning)
//	bad_version        MSH-12 not 2.x (warning)
//	missing_msa        ACK without MSA (warning)
//	bad_ack_code       MSA-1 not AA/AE/AR/CA/CE/CR (warning)
//	ack_missing        no acknowledgement within ack_timeout, or before the flow ended
//	ack_unmatched      MSA-2 matches no message seen in the other direction
//	ack_table_full     max_pending_acks reached, oldest dropped (once per flow)
//	anomaly_limit      max_anomalies_per_flow reached; later anomalies only counted
//	gave_up            parsing stopped (Anomaly.GaveUp), once per flow
//
// Details name message types, segment positions and counts, never content.
// A flow is confirmed as HL7 by its first well-formed message. Before that,
// violations are counted but only the first is kept, and reported at Expire
// if the flow never confirms; max_violations in a row (no well-formed
// message in between), or max_unconfirmed_bytes without a message, give the
// flow up. ack_missing is only reported when the acknowledging direction is
// visible (bytes or a FIN seen, no gap); ack_unmatched only when the other
// direction carried messages. Messages in a batch are not expected to be
// acknowledged one by one.
//
// # Limits
//
// Config (yaml): max_message_bytes (8 MiB: per message and per direction
// buffer), max_segments (10000), max_value_bytes (128: each copied string),
// max_pending_acks (256), ack_timeout (30s, capture time), max_violations
// (8), max_anomalies_per_flow (100), max_unconfirmed_bytes (16 MiB). A
// message wholly inside one Data call is parsed in place; only a message
// spanning calls is copied, and buffers over 64 KiB are released after use.
//
// # Metrics
//
// Analyzer.Stats: messages, anomalies, suppressed anomalies, bytes, skipped
// bytes, truncated messages, confirmed, gave up. Per-reason counts come from
// the emitted anomalies.
package hl7
