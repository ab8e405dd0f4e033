// Package protocols picks the analyzer for each flow and holds the explicit registry
// of protocol analyzers (one sub-package per protocol, all with the same shape).
//
// Identification uses ports and content. Content probes run first, on the first
// bytes of each direction (buffered up to Config.ProbeBytes while undecided): a
// flow carrying HL7 on port 6661 or ASTM on port 5000 is found by what it says, not
// where it goes. When no probe matches but the server port is a protocol's
// registered port, that protocol's analyzer gets the flow anyway, so a non-HL7
// stream on the HL7 port is reported as a protocol anomaly rather than ignored.
// Flows that match nothing are counted as unidentified.
package protocols
