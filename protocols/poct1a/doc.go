// Package poct1a is the analyzer for POCT1-A2 (CLSI POCT1-A), the XML
// messaging point-of-care devices — glucose meters, blood gas and coagulation
// analyzers — use to talk to their data manager (the "observation reviewer").
//
// # Name
//
// poct1a — registry name "poct1a"; no standard port: flows are identified by
// content (see Probe: an XML declaration or a root element named like a
// POCT1-A message).
//
// # Description
//
// The device usually opens the connection and introduces itself (HEL.R01,
// then DST.R01 device status); the manager answers each message with
// ACK.R01, requests observations (REQ.R01), the device sends them (OBS.R01
// patient results, OBS.R02 non-patient/QC results) and closes the topic
// (EOT.R01); the manager may push an operator list (OPL.R01), directives
// (DTV.R01/R02, vendor DTV.<VENDOR>.R01) and end the conversation (END.R01).
// Messages are XML documents sent back to back with no length prefix.
//
// Each direction has a framer that tracks just enough XML (tags, quoted
// attributes, comments, CDATA, processing instructions, DOCTYPE) to find
// where a message ends: where its root element closes (by nesting count, or
// by the root's own end tag, so a message with unbalanced tags cannot
// swallow the next ones). The framer copies the message into a bounded,
// reused buffer; the complete message is decoded by Parse with encoding/xml
// (strict mode). Parse is usable on its own: given one message, it returns
// its Summary. One app.Message is emitted per well-formed message, one
// app.Anomaly per violation.
//
// # Fields
//
// Values sit in the V attribute of dotted elements (<HDR.control_id V="…"/>).
// Read: HDR.control_id, HDR.version_id; DEV.device_id, DEV.vendor_id,
// DEV.model_id, DEV.serial_id, DEV.manufacturer_name, DEV.sw_version,
// DEV.hw_version (device identity, from HEL.R01); ACK.type_cd and
// ACK.ack_control_id; the codes EOT.topic_cd, REQ.request_cd,
// DTV.command_cd, TRM.reason_cd, DST.condition_cd, SVC.role_cd;
// DST.new_observations_qty. Counted: SVC, PT, NTE objects, OBS.observation_id,
// OPR.operator_id with a value, operator passwords (elements ending in
// "password" or ".pin", OPL.R01). Patient identifiers are reported by kind
// and element when present (a non-empty attribute or text anywhere inside):
// PT.patient_id, PT.name, PT.birth_date, PT.address, PT.phone, PT.telephone,
// PT.ssn, PT.account_id, PT.visit_id, PT.mother_name; other PT elements
// (location, gender) are not identifiers. Observation values, notes and
// operator names are never read into events.
//
// # Emitted message
//
// App "poct1a"; Type the root element (HEL.R01, OBS.R01, ACK.R01, DTV.EXDX.R01
// …); ControlID (HDR.control_id); Version (HDR.version_id); Ack (ACK.type_cd:
// AA, AE …) with AckLatency when the acknowledged message was seen; Results
// (observations); PHI and PHIFields ("POCT1 PT.patient_id" …); Bytes. Once a
// HEL.R01 was seen on the flow, the device's messages carry Sender
// (DEV.device_id, else the serial), Device (DEV.model_id), Software
// (DEV.sw_version) and Attrs "vendor", "serial", "manufacturer",
// "hw_version"; the manager's messages carry the device as Receiver.
// Counts, when not zero: "services", "patients", "observations",
// "operator_ids", "notes", "new_observations", "credentials". Attrs: the
// codes under "topic", "request", "directive", "end_reason", "condition",
// "role"; for operator passwords "auth" = "password" and "user_hash"
// (app.KeyedHash of the first operator ID; passwords are never kept).
//
// # Anomalies
//
// Reason codes (errors.go): bad_xml, not_poct, dtd_refused, too_deep,
// too_many_tokens, message_too_large, framing_error (violations);
// missing_header, truncated_message, gap_resync (not violations); gave_up.
// MaxViolations violations without a well-formed message in between make the
// analyzer report gave_up (once, GaveUp set) and ignore the flow. Details name
// sizes, caps and line numbers, never content.
//
// A side starts (and restarts after a gap or a dropped message) by looking
// for a message start — "<?xml" or "<" and a message name — so a capture
// joined inside a message is picked up silently at the next one. Passing
// MaxResyncBytes without one is a framing_error.
//
// # Security
//
// A <!DOCTYPE …> makes the message refused (dtd_refused): no DTD is read and
// no entity is ever expanded beyond XML's five predefined ones, so entity
// bombs and external entities cost nothing. Duplicate attributes, which
// encoding/xml lets through, are refused as bad_xml. Encodings: UTF-8,
// US-ASCII, ISO-8859-1 and windows-1252 (read as Latin-1); others are bad_xml.
//
// # Limits
//
// Config (config.go): MaxMessageBytes (1 MiB, the per-direction buffer),
// MaxDepth (32), MaxTokens (200000), MaxAttrs (32), MaxValueBytes (64, copied
// codes and identity), MaxResyncBytes (256 KiB), MaxPendingAcks (64),
// MaxViolations (8).
//
// # Metrics
//
// The package exports none itself: the pipeline counts messages by Type and
// anomalies by Reason under the labwatch namespace.
package poct1a
