package dicom

import (
	"encoding/binary"
	"fmt"

	"labwatch/protocols/app"
)

// Item types of A-ASSOCIATE-RQ/AC (PS3.8 sections 9.3.2, 9.3.3 and annex D).
const (
	itemAppContext    = 0x10
	itemContextRQ     = 0x20
	itemContextAC     = 0x21
	itemAbstract      = 0x30
	itemTransfer      = 0x40
	itemUserInfo      = 0x50
	subMaxLength      = 0x51
	subImplClassUID   = 0x52
	subAsyncOps       = 0x53
	subRoleSelection  = 0x54
	subImplVersion    = 0x55
	subExtNegotiation = 0x56
	subCommonExtNeg   = 0x57
	subUserIdentityRQ = 0x58
	subUserIdentityAC = 0x59
)

// userIdentityTypes names the user identity negotiation types (PS3.7 D.3.3.7);
// the name goes to Attrs["auth"].
var userIdentityTypes = [...]string{1: "username", 2: "username_passcode", 3: "kerberos", 4: "saml", 5: "jwt"}

// association is what one A-ASSOCIATE-RQ or -AC declares. Strings are owned
// copies (cleanText); the user name is kept only as its keyed hash.
type association struct {
	calledAE, callingAE string
	version             uint16
	appContext          string
	implUID, implName   string
	maxPDU              uint32

	contexts, accepted, rejected int
	transferSyntaxes             int
	sopClasses, syntaxes         string // comma-joined, capped at MaxListBytes
	sopCount                     int    // contexts naming an abstract syntax
	roleSelections, extNegs      int
	unknownItems                 int

	auth, userHash string // user identity negotiation (RQ)
	identityAC     bool
}

// itemError is a malformed association PDU; detail names item types and
// offsets only.
type itemError struct{ reason, detail string }

// eachItem walks the items of b (type, reserved, 16-bit length, value) and
// calls fn for each; an item that overruns b stops the walk with an error.
func eachItem(b []byte, what string, fn func(typ byte, val []byte) *itemError) *itemError {
	for off := 0; off < len(b); {
		if len(b)-off < 4 {
			return &itemError{ReasonBadItem, fmt.Sprintf("%s: %d stray bytes at offset %d", what, len(b)-off, off)}
		}
		typ := b[off]
		n := int(binary.BigEndian.Uint16(b[off+2:]))
		if n > len(b)-off-4 {
			return &itemError{ReasonBadItem, fmt.Sprintf("%s: item 0x%02x length %d overruns its parent", what, typ, n)}
		}
		if err := fn(typ, b[off+4:off+4+n]); err != nil {
			return err
		}
		off += 4 + n
	}
	return nil
}

// parseAssociate reads the body of an A-ASSOCIATE-RQ (rq) or -AC into as and
// records presentation contexts in ctx.
func parseAssociate(body []byte, rq bool, cfg *Config, ctx *contextTable, as *association) *itemError {
	if len(body) < associateFixedLen {
		return &itemError{ReasonBadPDULength, fmt.Sprintf("association body of %d bytes is shorter than its fixed part", len(body))}
	}
	as.version = binary.BigEndian.Uint16(body)
	as.calledAE = cleanText(body[4:20], 16)
	as.callingAE = cleanText(body[20:36], 16)
	return eachItem(body[associateFixedLen:], "association", func(typ byte, val []byte) *itemError {
		switch typ {
		case itemAppContext:
			as.appContext = cleanText(val, cfg.MaxUIDBytes)
		case itemContextRQ, itemContextAC:
			if (typ == itemContextRQ) != rq {
				return &itemError{ReasonBadItem, fmt.Sprintf("presentation context item 0x%02x in the wrong PDU", typ)}
			}
			as.contexts++
			if as.contexts > cfg.MaxContexts {
				return &itemError{ReasonTooManyContexts, fmt.Sprintf("more than %d presentation contexts", cfg.MaxContexts)}
			}
			return parseContext(val, rq, cfg, ctx, as)
		case itemUserInfo:
			return parseUserInfo(val, cfg, as)
		default:
			as.unknownItems++
		}
		return nil
	})
}

// parseContext reads one presentation context item: ID, reserved, result
// (AC only), reserved, then abstract and transfer syntax sub-items.
func parseContext(b []byte, rq bool, cfg *Config, ctx *contextTable, as *association) *itemError {
	if len(b) < 4 {
		return &itemError{ReasonBadItem, fmt.Sprintf("presentation context item of %d bytes", len(b))}
	}
	id, result := b[0], b[2]
	var abstract, transfer string
	err := eachItem(b[4:], "presentation context", func(typ byte, val []byte) *itemError {
		switch typ {
		case itemAbstract:
			abstract = cleanText(val, cfg.MaxUIDBytes)
		case itemTransfer:
			as.transferSyntaxes++
			transfer = cleanText(val, cfg.MaxUIDBytes)
			as.syntaxes = appendList(as.syntaxes, transfer, cfg.MaxListBytes)
		default:
			as.unknownItems++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if rq {
		if abstract != "" {
			as.sopCount++
		}
		as.sopClasses = appendList(as.sopClasses, abstract, cfg.MaxListBytes)
		ctx.propose(id, abstract)
		return nil
	}
	if result == 0 {
		as.accepted++
		ctx.accept(id, syntaxOf(transfer))
	} else {
		as.rejected++
	}
	return nil
}

// parseUserInfo reads the user information sub-items. Of a user identity it
// keeps the mechanism and, for user names, the keyed hash; never a passcode.
func parseUserInfo(b []byte, cfg *Config, as *association) *itemError {
	return eachItem(b, "user information", func(typ byte, val []byte) *itemError {
		switch typ {
		case subMaxLength:
			if len(val) == 4 {
				as.maxPDU = binary.BigEndian.Uint32(val)
			}
		case subImplClassUID:
			as.implUID = cleanText(val, cfg.MaxUIDBytes)
		case subImplVersion:
			as.implName = cleanText(val, 16)
		case subRoleSelection:
			as.roleSelections++
		case subExtNegotiation, subCommonExtNeg:
			as.extNegs++
		case subUserIdentityRQ:
			return parseUserIdentity(val, as)
		case subUserIdentityAC:
			as.identityAC = true
		case subAsyncOps:
		default:
			as.unknownItems++
		}
		return nil
	})
}

// parseUserIdentity reads type, positive-response flag, the primary field
// (user name, ticket, assertion or token) and the secondary field (passcode),
// which is length-checked and otherwise ignored.
func parseUserIdentity(b []byte, as *association) *itemError {
	if len(b) < 4 {
		return &itemError{ReasonBadItem, fmt.Sprintf("user identity sub-item of %d bytes", len(b))}
	}
	typ := b[0]
	n := int(binary.BigEndian.Uint16(b[2:]))
	if n > len(b)-4 {
		return &itemError{ReasonBadItem, "user identity primary field overruns its sub-item"}
	}
	if int(typ) < len(userIdentityTypes) && userIdentityTypes[typ] != "" {
		as.auth = userIdentityTypes[typ]
	} else {
		as.auth = "unknown"
	}
	if (typ == 1 || typ == 2) && n > 0 {
		as.userHash = app.KeyedHash(string(b[4 : 4+n]))
	}
	return nil
}
