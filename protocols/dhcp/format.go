package dhcp

import "strconv"

var msgTypeNames = [...]string{
	1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE",
	8: "INFORM", 9: "FORCERENEW", 10: "LEASEQUERY", 11: "LEASEUNASSIGNED", 12: "LEASEUNKNOWN",
	13: "LEASEACTIVE", 14: "BULKLEASEQUERY", 15: "LEASEQUERYDONE", 16: "ACTIVELEASEQUERY",
	17: "LEASEQUERYSTATUS", 18: "TLS",
}

// TypeName returns the message's summary key: the DHCP message type (RFC 2132
// option 53, RFC 4388, RFC 6926, RFC 7724), or BOOTREQUEST / BOOTREPLY for BOOTP
// without option 53.
func TypeName(s *Summary) string {
	switch {
	case s.MsgType == 0 && s.Reply:
		return "BOOTREPLY"
	case s.MsgType == 0:
		return "BOOTREQUEST"
	case int(s.MsgType) < len(msgTypeNames):
		return msgTypeNames[s.MsgType]
	}
	return "TYPE" + strconv.Itoa(int(s.MsgType))
}

// decimalList writes option codes as "1,3,6,15": the parameter request list
// fingerprint that tells DHCP client implementations apart.
func decimalList(dst, codes []byte) []byte {
	for i, c := range codes {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(c), 10)
	}
	return dst
}

// hexColon writes a hardware address as aa:bb:cc:dd:ee:ff.
func hexColon(dst, mac []byte) []byte {
	const digits = "0123456789abcdef"
	for i, c := range mac {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, digits[c>>4], digits[c&0xf])
	}
	return dst
}

// printable copies at most limit bytes of v, replacing bytes outside printable
// ASCII with '?' and dropping trailing NULs (some clients pad the host name).
func printable(dst, v []byte, limit int) []byte {
	for len(v) > 0 && v[len(v)-1] == 0 {
		v = v[:len(v)-1]
	}
	if len(v) > limit {
		v = v[:limit]
	}
	for _, c := range v {
		if c < ' ' || c >= 0x7f {
			c = '?'
		}
		dst = append(dst, c)
	}
	return dst
}
