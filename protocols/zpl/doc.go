// Package zpl is the analyzer for label and wristband printers spoken to over raw
// TCP: Zebra ZPL II and the older EPL2. Specimen labels carry patient names,
// medical record numbers and birth dates; this package reports which kinds a label
// carried, never the values.
//
// # Name
//
// zpl — registry name "zpl"; registered port 9100 (raw printing, "JetDirect").
// Content probe: a ZPL command (^XA, ~HI …) or EPL setup lines and N.
//
// # Description
//
// Each direction is scanned byte by byte by a resumable state machine; nothing
// but the field, EPL line or response frame in progress is kept across calls.
// ZPL commands start with the caret (format commands) or tilde (control
// commands), followed by two command characters and parameters up to the next
// prefix; ^CC / ~CC and ^CT / ~CT change the prefixes and are followed. A format
// runs from ^XA to ^XZ. Field data (^FD or ^FV up to the next caret) is
// classified and forgotten. A barcode command (^B plus a symbology, not ^BY)
// marks the next field as barcode content. EPL2 is line based: N clears the
// buffer and opens a job, A lines are text and B / b lines barcodes (their
// quoted data is classified), P prints and closes the job; GW image bytes are
// skipped by their declared size. Printer answers are STX … ETX frames.
//
// # Fields classified
//
// Field data is matched, one bounded field at a time, with linear-time Go
// regexps:
//
//   - name: the whole field is "LAST, FIRST" or "LAST^FIRST" (letters, an
//     optional second word, an optional "Name:" caption, an optional middle
//     name or initial) → PHI name.
//   - birth date: a date (MM/DD/YYYY, DD.MM.YYYY, YYYY-MM-DD, 12 MAR 1945,
//     YYYYMMDD) with a DOB keyword in the same field, or right after a field
//     that is only a DOB caption → PHI birth_date. Collection dates and times
//     are not birth dates.
//   - MRN: a token (or a whole barcode) matching Config.MRNPattern, or digits
//     after an "MRN:" caption → PHI patient_id.
//   - accession: a token (or whole barcode) matching Config.AccessionPattern →
//     PHI accession.
//   - template: a field holding a placeholder (${x}, {{x}}, <%x%>, [[x]]) is a
//     stored template and is never PHI (the corpus's EDC label templates).
//
// # Emitted messages
//
// App "zpl". Type "label" for each format (^XA … ^XZ) and each EPL job (N … P);
// PHI and PHIFields from the static names "ZPL ^FD name", "ZPL ^FD birth date",
// "ZPL ^FD MRN", "ZPL ^FD accession", "ZPL barcode MRN", "ZPL barcode
// accession", and their EPL twins "EPL A …" (text) and "EPL B …" (barcode);
// Bytes, the label's size on the wire. Counts, when not zero: "fields",
// "barcodes", "template_fields", "graphics" (^GF, ~DG, ~DY, ^XG, EPL GW),
// "copies" (^PQ, EPL P), "truncated_fields", "stored_format" (^DF: the format is
// stored, not printed), "recalled_format" (^XF).
//
// Attrs keys of this package (values are never patient data):
//
//   - "language": "zpl" or "epl", on labels.
//
// Type "host_identification" for a ~HI answer ("model,Vfirmware,dpmm,memory"):
// Device is the model, Software the firmware. Type "host_status" for a ~HS
// answer: Counts "paper_out", "paused", "buffer_full" when set. Answers are
// recognised by shape, so a capture that missed the query still reads them.
//
// # Anomalies
//
// Reason codes (errors.go): field_too_large and gap_resync (not violations);
// label_too_large, line_too_large, response_too_large, unterminated_label (at
// end of stream or flow expiry; a new ^XA or N before the end is reported but
// not counted as a violation) and not_zpl (a control byte where text was due, or
// a line that is no command). MaxViolations violations without a well-formed
// label make the analyzer report gave_up once and ignore the flow. Details name
// sizes and commands, never field data.
//
// After a gap, or a not_zpl violation, the direction drops its open label and
// resumes at the next ^XA or N line. A capture starting inside a format resumes
// at the next caret.
//
// # Limits
//
// Config (config.go) caps a field kept for classification (MaxFieldBytes, 1
// KiB), a label (MaxLabelBytes, 1 MiB), an EPL line (MaxLineBytes, 4 KiB), a
// printer answer (MaxResponseBytes, 512), the identity strings
// (MaxIdentityBytes, 64) and the violations before giving up (MaxViolations,
// 16). Per flow the analyzer holds at most one field, one line and one frame
// buffer per direction.
package zpl
