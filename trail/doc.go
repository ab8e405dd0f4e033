// Package trail makes a sensor's alerts tamper-evident: each alert carries a
// sequence number and the hash of the alert before it, so that an alert
// deleted, altered, inserted or moved in the alert file (or at the SIEM) is
// found by Verify, which names the first line that breaks the chain.
//
// # What is hashed
//
// Seal gives an alert Seq = previous Seq + 1 (the first alert of a chain has
// Seq 1 and no prev_hash) and PrevHash = the lower-case hex SHA-256 of the
// previous alert's line: the bytes of its JSON object exactly as the JSON-lines
// sink writes them (encoding/json of detect.Alert with HTML escaping off; map
// keys sorted, so the encoding of one alert is deterministic), without the
// trailing newline. Verify hashes the lines as read from the file, never a
// re-encoding, so it needs no knowledge of the alert's fields beyond seq,
// prev_hash and sensor. An alert that JSON cannot encode (a NaN in details, a
// time beyond year 9999) is made encodable by Seal first (details replaced by
// {"unencodable":"details"}, the time zeroed), so that what is hashed is what
// is written.
//
// # Wiring
//
//	var chain trail.Chain
//	err := chain.LoadHead(statePath)   // at start; a missing file is a new chain
//	chain.Seal(a)                      // in delivery order, after suppression, before the sinks
//	err = chain.SaveHead(statePath)    // with the baseline, and at exit
//	n, brk := trail.Verify(file)       // labwatch verify
//
// The head is the last Seq and the hash of its line. A chain restarted without
// its head begins again at Seq 1 and Verify reports the restart. The head saved
// periodically may lag the alert file after a crash; ResumeFile (or TailHead)
// reads the last alert of the file so that the chain continues from whichever
// is later.
//
// # Verify
//
// Lines are read one by one (at most MaxLineBytes each) and only the previous
// line's hash is kept, so a file of any length verifies in constant memory.
// The first line anchors the chain (a file rotated by logrotate starts
// mid-chain); every later line must have the next Seq and the previous line's
// hash. Reasons, in Break.Reason: bad_json (not a JSON object, or an empty
// line), unsealed (no seq), line_too_long, altered (a line's bytes no longer
// match the prev_hash the next alert recorded: the break names the altered
// line), missing (a gap in Seq: alerts deleted), reordered (a Seq out of
// order, or one that appears later in the file), duplicate (the same alert
// twice), restarted (Seq 1 again: the chain's head was lost), other_sensor
// (an alert of another sensor), head_mismatch (with VerifyHead: the file ends
// before the saved head, or the line of the head's Seq does not match its
// hash), read_error. The last line of a file can be altered undetected unless
// the sensor's saved head is given (VerifyHead): that is the limit of any hash
// chain without an outside anchor.
//
// Break messages name lines, sequence numbers and reasons, never the content
// of a line.
package trail
