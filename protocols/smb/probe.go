package smb

import "labwatch/protocols/app"

// Ports are SMB's registered ports (direct TCP, NetBIOS session service).
var Ports = []uint16{445, 139}

// family names the dialect family of an SMB protocol id, "" when unknown.
func family(id []byte) string {
	if len(id) < 4 || id[1] != 'S' || id[2] != 'M' || id[3] != 'B' {
		return ""
	}
	switch id[0] {
	case 0xff:
		return "SMB1"
	case 0xfe:
		return "SMB2"
	case 0xfd:
		return "SMB3_encrypted"
	case 0xfc:
		return "SMB2_compressed"
	}
	return ""
}

// Probe matches a NetBIOS session message that carries an SMB protocol id.
func Probe(data []byte) app.ProbeResult {
	if len(data) > 0 && data[0] != 0x00 {
		return app.NoMatch
	}
	if len(data) < 8 {
		return app.NeedMore
	}
	if family(data[4:8]) != "" {
		return app.Match
	}
	return app.NoMatch
}
