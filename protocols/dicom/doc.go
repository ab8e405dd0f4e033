// Package dicom is the analyzer for the DICOM upper layer (PS3.8), the
// protocol imaging modalities, PACS, worklist and archive servers speak: an
// association is negotiated (A-ASSOCIATE-RQ/AC/RJ), DIMSE commands and data
// sets travel in P-DATA-TF PDUs, and the association ends with A-RELEASE or
// A-ABORT.
//
// # Name
//
// dicom — registry name "dicom"; registered ports 104 and 11112; found by
// content elsewhere (see Probe). DICOM over TLS (port 2762, PS3.15 annex B)
// is TLS from its first byte: the TLS analyzer owns that port; if this
// analyzer is handed a flow that starts with a TLS handshake record, it sets
// Flow.Encrypted and stays silent.
//
// # Description
//
// The analyzer reads both directions of a TCP flow, each with a resumable
// state machine over byte slices: no goroutine, no reader, no copy of the
// stream. Association, release and abort PDUs are buffered (bounded) and
// parsed whole; P-DATA-TF PDUs are streamed: their PDV headers are read, the
// command set of each DIMSE message is buffered (it is small) and parsed, and
// data sets are walked element header by element header with values skipped
// by count, never copied. One app.Message is emitted per PDU, so message counts
// match tshark's dicom dissector (TestAgainstTshark); one app.Anomaly per
// violation.
//
// # Framing
//
//	PDU:  type(1) reserved(1) length(4, big endian) body(length)
//	PDV:  length(4, big endian) context-id(1) control(1) fragment(length-2)
//
// PDU types 0x01 A-ASSOCIATE-RQ, 0x02 -AC, 0x03 -RJ, 0x04 P-DATA-TF,
// 0x05 A-RELEASE-RQ, 0x06 -RP, 0x07 A-ABORT. The PDV control byte has bit 0
// (command, else data set) and bit 1 (last fragment). A-ASSOCIATE bodies are
// protocol version, called and calling AE titles (16 bytes each), then items:
// 0x10 application context, 0x20/0x21 presentation context (with 0x30 abstract
// and 0x40 transfer syntax sub-items), 0x50 user information (0x51 maximum
// length, 0x52 implementation class UID, 0x55 implementation version name,
// 0x54 role selection, 0x56/0x57 extended negotiation, 0x58/0x59 user
// identity).
//
// # Data sets
//
// Command sets are implicit VR little endian (PS3.7). Data sets use the
// transfer syntax the A-ASSOCIATE-AC accepted for their presentation context:
// implicit VR LE, explicit VR LE (also every compressed syntax), explicit VR
// big endian; deflated data sets are counted, not scanned. When no
// association was seen (a capture joined mid-association) the encoding is
// guessed per data set from its first element header. Sequences are entered;
// encapsulated pixel data fragments are skipped.
//
// A group 0010 element (or Accession Number, Admission ID) with a non-empty
// value is reported by kind and tag, never by value: (0010,0010) name,
// (0010,0020) (0010,0021) (0010,1000) (0010,1002) patient ID, (0010,0030)
// (0010,0032) birth date, (0010,1001) (0010,1005) name, (0010,1040) address,
// (0010,1050) insurance, (0010,1060) relative, (0010,2154) (0010,2155) phone,
// (0008,0050) accession, (0038,0010) account. An empty element is a C-FIND
// return key and is not reported. Other group 0010 elements (sex, age …) are
// only counted.
//
// # Emitted message
//
// App "dicom"; Type is the PDU type: A-ASSOCIATE-RQ, A-ASSOCIATE-AC,
// A-ASSOCIATE-RJ, P-DATA-TF, A-RELEASE-RQ, A-RELEASE-RP, A-ABORT. Sender and
// Receiver are the calling and called AE titles, swapped for the acceptor's
// PDUs; Bytes the PDU length with its header.
//
//   - A-ASSOCIATE-RQ/AC: Version (protocol version), Software (implementation
//     version name); Attrs "calling_ae", "called_ae", "sop_class" (proposed
//     abstract syntaxes, comma-joined, capped at MaxListBytes),
//     "transfer_syntax" (proposed or accepted), "app_context",
//     "implementation_uid", and for user identity negotiation "auth"
//     (username, username_passcode, kerberos, saml, jwt) and "user_hash"
//     (app.KeyedHash of the user name; the passcode is never read); Counts
//     "presentation_contexts", "abstract_syntaxes", "transfer_syntaxes",
//     "accepted_contexts", "rejected_contexts", "role_selections",
//     "extended_negotiations", "unknown_items", "max_pdu_length",
//     "credentials", "identity_accepted".
//   - A-ASSOCIATE-RJ: Attrs "reject" (permanent, transient), "reject_source"
//     (user, provider_acse, provider_presentation); Counts "reject_reason".
//   - A-ABORT: Attrs "abort_source" (user, provider); Counts "abort_reason".
//   - P-DATA-TF: Counts "pdvs", "command_pdvs", "data_pdvs", "commands",
//     "dataset_bytes", "patient_tags"; when a command set completes in the
//     PDU, Attrs "command" (C-STORE-RQ, C-FIND-RSP …), "sop_class" (affected
//     or requested SOP class UID), "status" (success, pending, warning,
//     failure, cancel; responses only), ControlID (message ID, or the ID
//     responded to) and, on responses whose request was seen, AckLatency;
//     PHI and PHIFields ("DICOM (0010,0010)" …).
//
// # Anomalies
//
// Reason codes (errors.go): bad_pdu_type, bad_pdu_length, pdu_too_large,
// truncated_pdu, gap_resync, bad_item, too_many_contexts, bad_pdv,
// too_many_pdvs, unknown_context, command_too_large, bad_command,
// bad_dataset, gave_up. All but gap_resync, truncated_pdu and unknown_context
// are violations; MaxViolations of them without a clean PDU in between make
// the analyzer report gave_up (once, GaveUp set) and ignore the flow. A PDU
// whose content raised a violation is still reported (the wire carried it)
// but does not clear the count. Details name PDU types, item types, tags and
// sizes, never values.
//
// After a gap or a header that cannot start a PDU, the side scans for the
// next plausible PDU header (known type, zero reserved byte, a length and
// body start that fit the type), also across calls. A command or data set cut
// by a gap is skipped to its last fragment. Passing MaxResyncBytes without a
// header is a violation.
//
// # Limits
//
// Config (config.go): MaxPDUBytes (64 MiB; a crafted 4 GiB length is reported
// and allocates nothing), MaxControlPDUBytes (64 KiB, buffered association
// PDUs), MaxPDVsPerPDU (1024), MaxContexts (128), MaxCommandBytes (16 KiB),
// MaxUIDBytes (64), MaxListBytes (1 KiB), MaxResyncBytes (1 MiB),
// MaxViolations (8). Per flow the analyzer holds two control buffers, two
// command buffers and a 256-entry presentation context table.
//
// # Metrics
//
// The package exports none itself: the pipeline counts messages by Type and
// anomalies by Reason under the labwatch namespace.
package dicom
