// Package rules is labwatch's rule engine: user rules written as expressions over
// typed message events, a default rule set shipped inside the binary, and the
// suppression, limit and threshold entries applied to every alert before output.
//
// # Rule files
//
// One YAML file holds any of four sections; all are optional. Decoding is strict
// (an unknown field is an error) and every error names file:line:column and the
// rule id, as `labwatch rules check FILE` prints them.
//
//	rules:
//	  - id: lis-to-internet              # letters, digits, '.', '_', '-'
//	    description: the LIS sends results outside the hospital
//	    expression: App == "hl7" && SrcRole == "lis" && !DstTrusted
//	    severity: high                   # info, low, medium, high, critical
//	  - id: astm-query-burst
//	    description: many ASTM queries from one analyzer
//	    expression: App == "astm" && ASTM.Kind == "query"
//	    severity: low
//	    threshold: {count: 100, window: 5m, by: src}   # by src (default), dst, pair
//
//	suppress:                            # drop: every field given must match
//	  - rule_id: dicom-unknown-ae
//	  - type: new_peer
//	    device: 10.40.1.0/24             # an address or a CIDR
//	    peer: 10.9.9.9
//	limit:                               # at most count alerts per window per key
//	  - type: new_peer
//	    count: 5
//	    window: 1h
//	    by: src
//	threshold:                           # one alert in every count (per window)
//	  - rule_id: hl7-negative-ack-burst
//	    count: 10
//
// # Expressions
//
// Expressions use github.com/expr-lang/expr and must be boolean. They are compiled
// once, against Event, so a misspelt field or a type error (App == 1) fails at
// load. The names are Event's fields:
//
//	TS App Type SrcIP DstIP SrcPort DstPort Transport
//	SrcName SrcRole DstName DstRole SrcTrusted DstTrusted   (from the config)
//	HL7.Type HL7.Event HL7.SendingApp HL7.SendingFacility HL7.ReceivingApp HL7.Ack
//	ASTM.Analyzer ASTM.Kind   POCT.Device   DICOM.CallingAE DICOM.CalledAE DICOM.SOPClass
//	TLS.Version TLS.SNI   PHI (kinds: "name" in PHI, len(PHI) > 0)
//	Credentials Encrypted
//
// plus the function inCIDR(ip, "10.0.0.0/8"). The builtins now, date and repeat are
// disabled: rules run on capture time and must not build unbounded strings.
//
// # Matching
//
// Set.Match runs on each event. Rules whose App conditions (App == "x",
// App in [...], joined by && and ||) exclude the event's app are skipped without
// running; the others run on a reused VM against the event boxed once as a value
// (one allocation per event: from a pointer, expr's reflection would copy every
// field it reads). A rule alert has type "rule",
// rule_id, the rule's severity, and a summary naming the rule and what matched:
// app, message type, addresses, ports, configured device names and roles. Details
// add application identities (HL7 sending application, ASTM analyzer, DICOM AE
// titles, TLS version and SNI) and the PHI kinds. No patient value is ever
// part of an Event, so none can reach an alert.
//
// A rule with a threshold alerts when its count-th match for a key (source,
// destination or pair) falls within the window, which opens at the key's first
// match in capture time. Matches after that in the window are held and added to
// the Count of the key's next alert. Keys are capped by MaxKeys.
//
// # Suppression
//
// Suppressor.Filter is applied to every alert (detection's and the rules'). All
// suppress entries are tried first; then the first limit or threshold entry that
// selects the alert decides. Nothing disappears silently: held alerts are counted
// by reason (suppress, limit, threshold) in SuppressionStats, and an alert a limit
// or threshold lets through after holding others carries their number in Count.
// The device of an alert is its Device field (or its source address), the peer
// the other address.
//
// # Reload
//
// Load a new File and, when it has no error, call Set.Adopt and Suppressor.Adopt
// with the old ones before switching: unchanged rules and entries keep their
// windows and counts. On error keep the old ones.
//
// # Limits
//
// MaxFileBytes, MaxRules, MaxEntries, MaxExprLen and MaxWindow are load errors;
// MaxKeys is counted at run time (Stats.Evicted, SuppressionStats.Evicted).
package rules
