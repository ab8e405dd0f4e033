package dhcp

import (
	"encoding/binary"
	"net/netip"
)

// BOOTP layout (RFC 951, RFC 2131 section 2).
const (
	headerLen   = 236
	offHtype    = 1
	offHlen     = 2
	offHops     = 3
	offXID      = 4
	offYiaddr   = 16
	offChaddr   = 28
	offSname    = 44
	offFile     = 108
	snameLen    = 64
	fileLen     = 128
	magicCookie = 0x63825363
)

// Option codes read (RFC 2132, RFC 4702).
const (
	optPad         = 0
	optHostName    = 12
	optRequestedIP = 50
	optOverload    = 52
	optMsgType     = 53
	optServerID    = 54
	optPRL         = 55
	optVendorClass = 60
	optClientFQDN  = 81
	optEnd         = 255
)

// Summary is what Parse reads from one DHCP message. Option values are slices of
// the message, valid while it is; nothing is copied or allocated.
type Summary struct {
	Reply    bool // op 2, BOOTREPLY
	Hops     uint8
	XID      uint32
	MAC      []byte // chaddr, hlen bytes
	Yiaddr   netip.Addr
	MsgType  uint8 // option 53; 0 when absent (plain BOOTP)
	HostName []byte
	Vendor   []byte
	PRL      []byte
	FQDN     []byte // option 81's name part, as sent
	ReqIP    netip.Addr
	ServerID netip.Addr
	Options  int  // options read
	Cookie   bool // the DHCP magic cookie is present
}

// Parse reads one DHCP or BOOTP message into s. After ErrBadOption or
// ErrTooManyOptions s holds what was read before: the message is usable.
func Parse(msg []byte, s *Summary, cfg *Config) (headerOK bool, err error) {
	c := cfg.normalized()
	return parse(msg, s, &c)
}

func parse(msg []byte, s *Summary, cfg *Config) (bool, error) {
	*s = Summary{}
	if len(msg) < headerLen {
		return false, ErrShort
	}
	op, hlen := msg[0], int(msg[offHlen])
	if (op != 1 && op != 2) || msg[offHtype] == 0 || hlen > 16 {
		return false, ErrBadHeader
	}
	s.Reply, s.Hops = op == 2, msg[offHops]
	s.XID = binary.BigEndian.Uint32(msg[offXID:])
	s.MAC = msg[offChaddr : offChaddr+hlen]
	s.Yiaddr = netip.AddrFrom4([4]byte(msg[offYiaddr : offYiaddr+4]))
	if len(msg) < headerLen+4 || binary.BigEndian.Uint32(msg[headerLen:]) != magicCookie {
		return true, nil // BOOTP without options
	}
	s.Cookie = true
	overload, err := s.options(msg[headerLen+4:], cfg, true)
	if err != nil {
		return true, err
	}
	// Option 52 moves more options into the file (1) and sname (2) fields.
	if overload&1 != 0 {
		if _, err = s.options(msg[offFile:offFile+fileLen], cfg, false); err != nil {
			return true, err
		}
	}
	if overload&2 != 0 {
		_, err = s.options(msg[offSname:offSname+snameLen], cfg, false)
	}
	return true, err
}

// options reads one option area; main tells the area after the cookie, where
// option 52 may appear. It returns option 52's value.
func (s *Summary) options(b []byte, cfg *Config, main bool) (overload byte, err error) {
	for i := 0; i < len(b); {
		code := b[i]
		if code == optPad {
			i++
			continue
		}
		if code == optEnd {
			return overload, nil
		}
		if i+1 >= len(b) || int(b[i+1]) > len(b)-i-2 {
			return overload, ErrBadOption
		}
		if s.Options == cfg.MaxOptions {
			return overload, ErrTooManyOptions
		}
		s.Options++
		v := b[i+2 : i+2+int(b[i+1])]
		switch code {
		case optMsgType:
			if len(v) == 1 {
				s.MsgType = v[0]
			}
		case optHostName:
			s.HostName = v
		case optVendorClass:
			s.Vendor = v
		case optPRL:
			s.PRL = v
		case optClientFQDN:
			if len(v) > 3 {
				s.FQDN = v[3:]
			}
		case optRequestedIP:
			s.ReqIP = addr4(v)
		case optServerID:
			s.ServerID = addr4(v)
		case optOverload:
			if main && len(v) == 1 {
				overload = v[0]
			}
		}
		i += 2 + len(v)
	}
	// Running out of bytes without END is common (padding trimmed by relays);
	// only the main area must end with END.
	if main {
		return overload, ErrBadOption
	}
	return overload, nil
}

func addr4(v []byte) netip.Addr {
	if len(v) != 4 {
		return netip.Addr{}
	}
	return netip.AddrFrom4([4]byte(v))
}
