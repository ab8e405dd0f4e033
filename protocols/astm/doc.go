// Package astm is the analyzer for ASTM E1381/E1394 (CLSI LIS01-A2 / LIS2-A2),
// the protocol most laboratory analyzers use to send results to, and take orders
// and queries from, the laboratory information system (LIS).
//
// # Name
//
// astm — registry name "astm"; no registered port: flows are identified by
// content (see Probe).
//
// # Description
//
// The analyzer reads both directions of a TCP flow. The low level (E1381) is a
// state machine per direction: ENQ opens a transmission, the other side answers
// ACK or NAK (busy), frames follow, each acknowledged, and EOT closes it. A NAK
// in the reverse direction marks the last frame for retransmission; the resent
// copy is recognised (same frame number and checksum) and counted once.
// Intermediate (ETB) frames are joined into records, and records (E1394) into
// messages, H through L. One app.Message is emitted per well-formed message; one
// app.Anomaly per violation. Patient identifiers are reported by kind and field
// ("ASTM P-6"), never by value.
//
// The parser is resumable on byte slices: no goroutine, no reader, no copy of the
// stream. A frame or record lying whole inside the slice handed in is parsed in
// place; only an unfinished tail is copied into a bounded, reused buffer. ParseRecords
// parses raw records on their own, without the low level.
//
// # Framing
//
//	<STX> FN text <ETX|ETB> C1 C2 <CR><LF>
//
// FN is the frame number, 1..7 then 0, restarting at 1 after each ENQ. C1 C2 are
// the hex digits of the sum of the bytes from FN through ETX/ETB, modulo 256.
// Frames are at most 247 bytes in LIS01-A2; longer ones are counted (long_frames)
// and accepted up to MaxFrameBytes. An ETX frame ends the record it carries.
// Link events: ENQ from both sides before either is answered is contention (both
// back off; LIS01-A2 gives the instrument priority); NAK to ENQ is busy; EOT sent
// by the receiver instead of ACK is a receiver interrupt; EOT, a new ENQ, the end
// of the stream or the flow's expiry inside a message abort it.
//
// # Records and fields
//
// Records end with CR (or LF, or CRLF on raw streams). The H record declares
// the delimiters: the byte after "H" is the field delimiter, H-2 lists repeat,
// component and escape. They are read from every H, never assumed. Extracted:
//
//   - H: H-3 control ID, H-5 sender name (analyzer make/model and software
//     version, recognised by shape among the components), H-10 receiver, H-12
//     processing ID (P, Q, T, D), H-13 version, H-14 timestamp.
//   - P: which of P-3, P-4, P-5 (patient IDs), P-6 (name), P-7 (mother's maiden
//     name), P-8 (birth date), P-11 (address), P-13 (phone) are filled.
//   - O: O-3 / O-4 specimen IDs (as accession presence; skipped in QC messages,
//     H-12 = Q, where they name control lots), O-5 test IDs, O-6 priority, O-12
//     action code, O-26 report type.
//   - R: R-3 test ID, R-4 value, R-5 units, R-7 flags, R-9 status.
//   - Q: ranges (patient ID ^ specimen ID; "ALL" names nobody), Q-5
//     test IDs, Q-13 status.
//   - C, M, S: counted only; their free text is never read.
//   - L: L-3 termination code.
//
// Test IDs, values, units, flags and status are returned by ParseRecords only;
// the analyzer emits counts. A message's type is result (has R), order (O
// without R), query (Q) or other. Record order is checked lightly: O needs a P
// before it, R an O.
//
// # Emitted message
//
// App "astm"; Type result|order|query|other; Sender (H-5 name), Device (make and
// model), Software (version), Receiver (H-10), Version (H-13), ControlID (H-3);
// Results, Orders, Queries; PHI and PHIFields ("ASTM P-3" …) for non-empty
// fields only; Bytes, the message's record bytes (H through L, terminators
// included, framing excluded). Counts holds, when not zero: record counts "H"
// "P" "O" "R" "C" "Q" "M" "S" "L" and "other_records"; the E1381 tallies of the
// direction since its previous message "frames", "etb_frames",
// "checksum_errors", "naks", "retries", "no_checksum_frames",
// "unnumbered_frames", "long_frames", "contention", "busy", "interrupts",
// "framing_errors", "frame_number_errors";
// dialect marks "record_fn_prefix", "odd_delimiters"; and one
// "processing_{production,quality_control,training,debugging,other}" and one
// "termination_{normal,sender_abort,receiver_abort,error,query_error,no_information,finished,other}".
// A framed message is emitted when the next frame, EOT, ENQ or the end of the
// stream shows it final, so that a retransmitted last frame is counted with it;
// a raw message is emitted at its L record.
//
// # Dialects
//
// Seen in real transcripts (../shared/corpus/astm) and handled:
//
//   - Full E1381 (ENQ, numbered frames with checksums, ETB intermediate frames,
//     EOT): Ortho VITROS 3600, Horiba Yumizen H500, Erba XL, python-astm.
//   - Frames without ENQ/EOT (transcripts, or a capture that missed them).
//   - Frame trailers ending in CR LF, CR only (Sysmex XN/XP, Siemens DCA Vantage,
//     Cepheid GeneXpert, Abbott Afinion), LF only (Horiba Pentra, Roche cobas c111)
//     or nothing; frames without a checksum or without a frame number.
//   - One frame carrying a whole message (Sysmex, Cepheid, cobas c311, Afinion),
//     far beyond 247 bytes; every record in its own ETB frame (cobas c111).
//   - Frame numbers out of sequence yet checksums valid (Yumizen H500 export):
//     reported as bad_frame_number, records kept.
//   - Records written with a frame-number digit in front ("2P|1", "3O|1") inside
//     one frame (a VITROS LIS reply): the digit is stripped and counted.
//   - Raw records over TCP with no low level (middleware, terminal servers): lines
//     ended by CR, LF or CRLF, last line without terminator at stream end.
//   - Non-standard delimiters declared in H: backtick repeat (Erba: H|`^&), '!'
//     component (Beckman DxH: H|\!~), '@' repeat (Cepheid: H|@^\), a doubled
//     backslash (Horiba H550: H|\\^&, counted as odd_delimiters); a bare "H" with
//     no delimiters (python-astm) uses the defaults.
//   - Comma decimals, censored values (<15, >8), space padding, component
//     results (3+^3+^45): values are carried as sent.
//   - Non-ASTM framings that also use STX/ETX (Tosoh HPLC host protocol, Arkray
//     Spotchem, bioMérieux miniVIDAS): Probe says NoMatch (no valid checksum, no
//     H record); fed to the analyzer anyway they give framing_error, bad_checksum
//     or bad_record anomalies and, past MaxViolations, gave_up — never a message.
//
// # Anomalies
//
// Reason codes (see errors.go): bad_checksum, bad_frame_number, framing_error,
// frame_too_large, aborted_session, timeout, gap_resync, record_too_large,
// message_too_large, bad_record, bad_delimiters, missing_header,
// missing_terminator, unexpected_record, gave_up. NAKs and retries are counts on
// the message, not anomalies: rates are for detection to judge. Every anomaly but
// gap_resync is a violation; MaxViolations of them without a well-formed message
// in between make the analyzer report gave_up (GaveUp set, once per flow) and
// ignore the rest of the flow. Details name frame numbers, record types and sizes,
// never field values.
//
// After a gap the direction drops its partial frame, record and message and
// resumes at the next STX, ENQ, EOT, ACK or NAK, or on a raw stream at a line
// starting with "H" and a delimiter.
//
// # Limits
//
// Config (config.go) caps a frame (MaxFrameBytes, default 64 KiB), a record
// (MaxRecordBytes, 64 KiB), a message (MaxMessageBytes 1 MiB, MaxMessageRecords
// 10000), the silence inside a transmission (FrameTimeout, 30 s of capture time,
// the LIS01-A2 receiver timer) and the life of an open message (SessionTimeout,
// 10 min), the violations before giving up (MaxViolations, 16) and the identity
// strings copied from H (MaxIdentityBytes, 64). Per flow the analyzer holds at
// most two frame and two record buffers. Free text (C, M records, P-19
// diagnosis) is never inspected, so identifiers typed into comments are not
// reported.
package astm
