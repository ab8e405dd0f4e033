package creds

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tlv encodes one BER tag-length-value with a short or one-byte long length.
func tlv(tag byte, v ...[]byte) []byte {
	var body []byte
	for _, p := range v {
		body = append(body, p...)
	}
	if len(body) < 128 {
		return append([]byte{tag, byte(len(body))}, body...)
	}
	return append([]byte{tag, 0x81, byte(len(body))}, body...)
}

// response builds an SNMP v2c GetResponse with the given variable bindings.
func response(varbinds ...[]byte) []byte {
	pdu := tlv(0xa2, tlv(0x02, []byte{7}), tlv(0x02, []byte{0}), tlv(0x02, []byte{0}), tlv(0x30, varbinds...))
	return tlv(0x30, tlv(0x02, []byte{1}), tlv(0x04, []byte("public")), pdu)
}

func varbind(oid []byte, value []byte) []byte { return tlv(0x30, tlv(0x06, oid), value) }

func TestSysDescrFromResponse(t *testing.T) {
	uptime := varbind([]byte{0x2b, 6, 1, 2, 1, 1, 3, 0}, tlv(0x43, []byte{1, 2, 3}))
	descr := varbind(sysDescrOID, tlv(0x04, []byte("Zebra ZT410 V75.20.21Z\r\nPrintServer")))
	m, err := ParseSNMP(response(uptime, descr))
	require.NoError(t, err)
	assert.Equal(t, "snmp_response", m.PDU)
	assert.Equal(t, "Zebra ZT410 V75.20.21Z\r\nPrintServer", string(m.SysDescr))
	assert.Equal(t, "Zebra ZT410 V75.20.21Z  PrintServer", printableLabel(m.SysDescr, 128))

	m, err = ParseSNMP(response(uptime))
	require.NoError(t, err)
	assert.Nil(t, m.SysDescr, "no sysDescr in the response")

	binary := varbind(sysDescrOID, tlv(0x04, []byte{0xff, 0x00, 'x'}))
	m, err = ParseSNMP(response(binary))
	require.NoError(t, err)
	assert.Equal(t, "", printableLabel(m.SysDescr, 128), "binary descriptions are not kept")
}
