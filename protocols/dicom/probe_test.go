package dicom

import (
	"testing"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

func TestProbe(t *testing.T) {
	rq := associateRQ("A", "B", []pcDef{{1, uidVerification, []string{uidImplicitLE}}}, storeUser)
	data := pdata(pdv{1, pdvCommand | pdvLast, commandSet(0x0030, 1, uidVerification, -1, false)})
	prototest.CheckProbe(t, Probe, []struct {
		Name string
		In   []byte
		Want app.ProbeResult
	}{
		{"empty", nil, app.NeedMore},
		{"associate rq", rq, app.Match},
		{"associate rq, header only", rq[:6], app.NeedMore},
		{"associate rq, AE titles cut", rq[:20], app.NeedMore},
		{"associate rq, binary AE title", append(append([]byte(nil), rq[:12]...), 0x01, 0x02), app.NoMatch},
		{"associate ac", associateAC("A", "B", []pcResult{{1, 0, uidImplicitLE}}, scpUser), app.Match},
		{"p-data", data, app.Match},
		{"p-data, PDV header cut", data[:9], app.NeedMore},
		{"reject", shortPDU(pduAssociateRJ, 0, 1, 1, 7), app.Match},
		{"release", shortPDU(pduReleaseRQ, 0, 0, 0, 0), app.Match},
		{"abort", shortPDU(pduAbort, 0, 0, 2, 0), app.Match},
		{"abort with bad source", shortPDU(pduAbort, 0, 0, 5, 0), app.NoMatch},
		{"protocol version 0", append([]byte{1, 0, 0, 0, 0, 100}, 0, 0), app.NoMatch},
		{"short association", []byte{1, 0, 0, 0, 0, 10, 0, 1}, app.NoMatch},
		{"PDV longer than PDU", []byte{4, 0, 0, 0, 0, 8, 0, 0, 0, 9, 1, 3}, app.NoMatch},
		{"even context ID", []byte{4, 0, 0, 0, 0, 8, 0, 0, 0, 4, 2, 3}, app.NoMatch},
		{"HL7 MLLP", []byte("\x0bMSH|^~\\&|"), app.NoMatch},
		{"lone ENQ (ASTM) could be A-RELEASE-RQ", []byte{0x05}, app.NeedMore},
		{"ASTM ENQ then a frame", []byte("\x05\x021H|\\^&"), app.NoMatch},
		{"HTTP", []byte("GET / HTTP/1.1\r\n"), app.NoMatch},
		{"TLS", []byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01}, app.NoMatch},
		{"reserved byte set", []byte{1, 1, 0, 0, 0, 100}, app.NoMatch},
		{"huge length", []byte{4, 0, 0xFF, 0xFF, 0xFF, 0xFF}, app.NoMatch},
	})
}
