// Package dhcp is the analyzer for DHCP (RFC 2131, RFC 2132) and plain BOOTP on a
// lab network, read for device identity: a device's host name, its vendor class
// (often the make and model of an analyzer or its embedded OS) and the
// parameter request list, whose order fingerprints the DHCP client. Host names
// are device identity, not patient data.
//
// # Name
//
// dhcp — registry name "dhcp"; UDP ports 67 (server) and 68 (client), through
// NewDatagramAnalyzer. There is no TCP analyzer and no probe.
//
// # Description
//
// One message per datagram: the 236-byte BOOTP header (op, htype, hlen, hops,
// xid, addresses, chaddr, sname, file), the magic cookie 99.130.83.99 and the
// options, each code, length, value, up to END; PAD is skipped. Option 52
// (overload) is followed into the file and sname fields. Read: 53 message
// type, 12 host name, 60 vendor class, 55 parameter request list, 81 client
// FQDN, 50 requested address, 54 server identifier. Option values are slices
// of the datagram: nothing is copied until the strings handed to the emitter.
//
// # Emitted message
//
// App "dhcp"; Type the message type: DISCOVER, OFFER, REQUEST, DECLINE, ACK,
// NAK, RELEASE, INFORM (and the lease-query types), BOOTREQUEST / BOOTREPLY
// without option 53, TYPEn for unknown ones. ControlID is the transaction ID
// (hex); Device the vendor class; Bytes the payload size. Counts, when not
// zero: "options", "hops". Attrs keys of this package:
//
//   - "client_mac": chaddr as aa:bb:cc:dd:ee:ff.
//   - "hostname": option 12; "fqdn": option 81's name as sent (wire-encoded
//     names show as '?' for length bytes). Printable ASCII, at most
//     MaxStringBytes, other bytes written '?'.
//   - "vendor_class": option 60, also in Device.
//   - "prl": option 55 as a decimal list, "1,3,6,15,…" (the fingerprint).
//   - "requested_ip", "server_id": options 50 and 54; "assigned_ip": yiaddr
//     of a reply.
//
// # Anomalies
//
// Reason codes (errors.go): bad_header (under 236 bytes, op not 1 or 2, htype
// 0, hlen over 16: a violation, nothing emitted), bad_option (an option runs
// past its area, or the options end without END: the message is still
// emitted), too_many_options (past MaxOptions; emitted), gave_up (MaxViolations
// malformed messages in a row; reported once, the flow is then ignored).
// Details give sizes and counts, never option values.
//
// # Limits
//
// Config (config.go): MaxOptions (128), MaxStringBytes (64), MaxViolations
// (8). A flow's analyzer holds one Summary and one 256-byte string buffer.
package dhcp
