// Package phiscan is the conservative clear-text PHI detector: it looks for
// patient identifiers in TCP payloads that no protocol analyzer claimed (and,
// through Scan, in any clear text), and reports which kinds it saw, never the
// values. Structured PHI kinds come from the protocol parsers (HL7 PID, ASTM P,
// ZPL fields …); this package is the safety net for everything else.
//
// # Name
//
// phiscan — emits App "cleartext". No port and no probe: the lead's dispatcher
// hands it the flows left unidentified.
//
// # Description
//
// Four detectors, each linear in its input (hand-written scanners, or Go
// regexps, which never backtrack), each tuned to stay quiet on ordinary text:
//
//   - embedded HL7: "PID|" or "NK1|" at a segment start (start of data, CR, LF,
//     the MLLP start byte, or an escaped \r or \n in JSON or XML), with at least
//     five fields. Filled PID fields give their kinds (PID-2/3/4 patient_id, 5
//     name, 6 relative, 7 birth_date, 11 address, 13/14 phone, 18 account, 19
//     ssn); a filled NK1-2 gives relative. PHIFields "embedded HL7 PID",
//     "embedded HL7 NK1".
//   - SSN: ddd-dd-dddd with both hyphens, not touching another digit, hyphen,
//     letter or slash, and in an issued range (area not 000, 666 or 9xx, group
//     not 00, serial not 0000). Unseparated nine-digit runs are ignored.
//     PHIFields "SSN pattern", kind ssn.
//   - MRN: Config.MRNPattern (default: an "MRN" or "medical record number"
//     caption, then up to three letters and 5-12 digits), tried only when one
//     of Config.MRNKeywords occurs. PHIFields "MRN pattern", kind patient_id.
//   - birth date near name: a DOB keyword ("dob" as a word, "d.o.b", "date of
//     birth", "birthdate", "birth_date", "birth date", "birth_dt") whose value
//     is a calendar date with a 19xx/20xx year (at most 20 bytes of key rest
//     and punctuation between them), and a name-like field within 256 bytes (a key such as name, patient, surname,
//     given_name, last_name followed by ':' or '=' and letters; or an HL7-style
//     LAST^FIRST). PHIFields "birth date near name", kinds birth_date and name.
//
// The analyzer scans each Data call in place, plus a junction of the previous
// call's last CarryBytes and the next call's first CarryBytes, so a pattern cut
// by a segment boundary is found; the hand-written detectors treat a cut edge as
// no boundary, so a cut never makes a pattern out of part of a longer token.
//
// # Emitted message
//
// At most one per flow direction, App "cleartext", Type "phi", when the
// direction's budget is spent, the direction ends, or the flow expires, and only
// when a kind was found: PHI, PHIFields (above), Counts "bytes_scanned", Bytes
// the same. Encrypted flows (Flow.Encrypted) are not scanned.
//
// # Anomalies
//
// scan_limit, once per direction, when it passes MaxBytesPerFlow: the rest of
// the direction is not read. It is not a violation; the analyzer never gives up.
//
// # Limits
//
// Config (config.go): MaxBytesPerFlow (64 KiB per direction), CarryBytes
// (512), MaxKeywordHits (64 DOB keywords examined per scanned slice). Per flow
// direction the analyzer holds the carried tail and a junction buffer, at most
// 3×CarryBytes. The false-positive rates measured on generated and typical
// traffic are in README.md.
package phiscan
