package dicom

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// TestAnomalies feeds one crafted input each and checks the reasons reported.
func TestAnomalies(t *testing.T) {
	ctx1 := associateAC("A", "B", []pcResult{{1, 0, uidExplicitLE}}, scpUser)
	tests := []struct {
		name    string
		chunks  []chunk
		cfg     *Config
		reasons []string
		types   map[string]int
	}{
		{"4 GiB length allocates nothing",
			[]chunk{{c2s, []byte{pduDataTF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 2, 1, 3}}},
			nil, []string{ReasonPDUTooLarge}, map[string]int{}},
		{"unknown PDU type",
			[]chunk{{c2s, []byte{0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0}}},
			nil, []string{ReasonBadPDUType}, map[string]int{}},
		{"association PDU past the control cap is skipped",
			[]chunk{{c2s, associateRQ("X", "Y", []pcDef{{1, uidVerification, []string{uidImplicitLE}}}, storeUser)},
				{c2s, shortPDU(pduReleaseRQ, 0, 0, 0, 0)}},
			&Config{MaxControlPDUBytes: 100}, []string{ReasonPDUTooLarge}, map[string]int{"A-RELEASE-RQ": 1}},
		{"release of the wrong length",
			[]chunk{{c2s, pdu(pduReleaseRP, make([]byte, 6))}},
			nil, []string{ReasonBadPDULength}, map[string]int{}},
		{"PDV overruns its PDU",
			[]chunk{{c2s, pdu(pduDataTF, []byte{0, 0, 0, 9, 1, 3, 0, 0})}},
			nil, []string{ReasonBadPDV}, map[string]int{}},
		{"reserved PDV bits",
			[]chunk{{c2s, pdata(pdv{1, 0x83, commandSet(0x0030, 1, uidVerification, -1, false)})}},
			nil, []string{ReasonBadPDV}, map[string]int{"P-DATA-TF": 1}},
		{"too many PDVs",
			[]chunk{{c2s, pdata(pdv{1, 0, nil}, pdv{1, 0, nil}, pdv{1, 0, nil})}},
			&Config{MaxPDVsPerPDU: 2}, []string{ReasonTooManyPDVs}, map[string]int{"P-DATA-TF": 1}},
		{"command set past its cap",
			[]chunk{{c2s, pdata(pdv{1, pdvCommand | pdvLast, commandSet(0x0001, 1, uidCTStorage, -1, true)})}},
			&Config{MaxCommandBytes: 20}, []string{ReasonCommandTooLarge}, map[string]int{"P-DATA-TF": 1}},
		{"command set in the wrong group",
			[]chunk{{c2s, pdata(pdv{1, pdvCommand | pdvLast, elemImplicit(8, 0x50, []byte("AB"))})}},
			nil, []string{ReasonBadCommand}, map[string]int{"P-DATA-TF": 1}},
		{"data set with an invalid VR",
			[]chunk{{s2c, ctx1}, {c2s, pdata(pdv{1, pdvLast, []byte{0x10, 0, 0x10, 0, 'p', 'n', 2, 0, 'A', 'B'}})}},
			nil, []string{ReasonBadDataset}, map[string]int{"A-ASSOCIATE-AC": 1, "P-DATA-TF": 1}},
		{"data set ends inside an element",
			[]chunk{{s2c, ctx1}, {c2s, pdata(pdv{1, pdvLast, elemExplicit(0x10, 0x10, "PN", []byte("AB"))[:9]})}},
			nil, []string{ReasonBadDataset}, map[string]int{"A-ASSOCIATE-AC": 1, "P-DATA-TF": 1}},
		{"PDV on a context not accepted",
			[]chunk{{s2c, ctx1}, {c2s, pdata(pdv{3, pdvCommand | pdvLast, commandSet(0x0030, 1, uidVerification, -1, false)})}},
			nil, []string{ReasonUnknownContext}, map[string]int{"A-ASSOCIATE-AC": 1, "P-DATA-TF": 1}},
		{"association item overruns the PDU",
			[]chunk{{c2s, pdu(pduAssociateRQ, append(append([]byte{0, 1, 0, 0}, make([]byte, 64)...), 0x10, 0, 0, 50, '1'))}},
			nil, []string{ReasonBadItem}, map[string]int{}},
		{"too many presentation contexts",
			[]chunk{{c2s, associateRQ("X", "Y", []pcDef{{1, uidVerification, nil}, {3, uidVerification, nil}, {5, uidVerification, nil}}, storeUser)}},
			&Config{MaxContexts: 2}, []string{ReasonTooManyContexts}, map[string]int{}},
		{"stream closed inside a PDU",
			[]chunk{{c2s, pdata(pdv{1, pdvLast, make([]byte, 100)})[:50]}},
			nil, []string{ReasonTruncatedPDU}, map[string]int{}},
		{"garbage gives up once",
			[]chunk{{c2s, bytes.Repeat([]byte{0x05, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5}, 20)}},
			nil, []string{ReasonBadPDULength, ReasonBadPDULength, ReasonBadPDULength, ReasonBadPDULength,
				ReasonBadPDULength, ReasonBadPDULength, ReasonBadPDULength, ReasonBadPDULength, ReasonGaveUp}, map[string]int{}},
		{"garbage without headers gives up after MaxResyncBytes",
			[]chunk{{c2s, bytes.Repeat([]byte("garbage!"), 1000)}},
			&Config{MaxResyncBytes: 1000, MaxViolations: 3}, []string{ReasonBadPDUType, ReasonBadPDUType, ReasonBadPDUType, ReasonGaveUp}, map[string]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, _ := play(conversation{chunks: tc.chunks}, tc.cfg)
			assert.Equal(t, tc.reasons, rec.Reasons())
			assert.Equal(t, tc.types, rec.TypeCounts())
		})
	}
}

// TestSegmentation feeds every conversation whole, byte by byte and in
// random cuts: the messages must not change.
func TestSegmentation(t *testing.T) {
	for _, c := range conversations() {
		t.Run(c.name, func(t *testing.T) {
			whole, _ := play(c, nil)
			for _, cut := range []int{1, 2, 5, 7, 13, 100} {
				rec := &prototest.Recorder{}
				a := NewAnalyzer(newTestFlow(), rec, nil)
				for _, ch := range c.chunks {
					for b := ch.data; len(b) > 0; {
						n := min(cut, len(b))
						a.Data(ch.dir, b[:n], t0)
						b = b[n:]
					}
				}
				a.End(c2s)
				a.End(s2c)
				a.Expire()
				require.Equal(t, whole.Msgs, rec.Msgs, "cut %d", cut)
				require.Equal(t, whole.Reasons(), rec.Reasons(), "cut %d", cut)
			}
		})
	}
}

// TestGapResync loses part of a P-DATA-TF and expects the next PDU parsed.
func TestGapResync(t *testing.T) {
	c := convStore()
	rec := &prototest.Recorder{}
	a := NewAnalyzer(newTestFlow(), rec, nil)
	for i, ch := range c.chunks {
		if i == 5 { // first data PDU of the C-STORE: deliver a piece, lose the rest
			a.Data(ch.dir, ch.data[:300], t0)
			a.Gap(ch.dir, len(ch.data)-300)
			continue
		}
		a.Data(ch.dir, ch.data, t0)
	}
	a.Expire()
	assert.Equal(t, []string{ReasonGapResync}, rec.Reasons())
	whole, _ := play(c, nil)
	assert.Equal(t, len(whole.Msgs)-1, len(rec.Msgs))
	last := rec.Msgs[len(rec.Msgs)-1]
	assert.Equal(t, "A-RELEASE-RP", last.Type)
}

// TestTLS checks that a DICOM TLS flow (port 2762) is marked encrypted and
// produces nothing else.
func TestTLS(t *testing.T) {
	hello := []byte{0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03}
	rec := &prototest.Recorder{}
	f := newTestFlow()
	a := NewAnalyzer(f, rec, nil)
	a.Data(c2s, hello, t0)
	a.Data(s2c, []byte{0x16, 0x03, 0x03, 0, 0x40, 2}, t0)
	a.Data(c2s, bytes.Repeat([]byte{0x17, 0x03, 0x03}, 100), t0)
	a.Expire()
	assert.True(t, f.Encrypted)
	assert.Empty(t, rec.Msgs)
	assert.Empty(t, rec.Anoms)
	assert.Equal(t, app.NoMatch, Probe(hello))
}

// TestSenderReceiver checks the AE titles follow the direction.
func TestSenderReceiver(t *testing.T) {
	rec, _ := play(convFind(), nil)
	for _, m := range rec.Msgs {
		if m.Dir == c2s {
			assert.Equal(t, [2]string{"RIS_WORKLIST", "PACS_QR"}, [2]string{m.Sender, m.Receiver}, m.Type)
		} else {
			assert.Equal(t, [2]string{"PACS_QR", "RIS_WORKLIST"}, [2]string{m.Sender, m.Receiver}, m.Type)
		}
	}
}

// TestCredentials checks a user identity is reported as mechanism and keyed
// hash, never as the user name or passcode.
func TestCredentials(t *testing.T) {
	rec, _ := play(convReject(), nil)
	require.NotEmpty(t, rec.Msgs)
	rq := rec.Msgs[0]
	assert.Equal(t, "username_passcode", rq.Attrs["auth"])
	assert.Equal(t, app.KeyedHash("tech.jones"), rq.Attrs["user_hash"])
	assert.Equal(t, 1, rq.Counts["credentials"])
	out := fmt.Sprintf("%+v %+v", rec.Msgs, rec.Anoms)
	assert.NotContains(t, out, "tech.jones")
	assert.NotContains(t, out, "S3cret")
}

// TestNoPatientValueLeaks plants fictional patient values in every kind of
// message, whole and malformed, and checks none of them comes out.
func TestNoPatientValueLeaks(t *testing.T) {
	var out strings.Builder
	convs := conversations()
	// A malformed variant of each: cut, and with a stray byte in the middle.
	for _, c := range conversations() {
		var b []byte
		for _, ch := range c.chunks {
			b = append(b, ch.data...)
		}
		for _, cut := range []int{len(b) / 3, len(b) / 2} {
			bad := append(append(append([]byte(nil), b[:cut]...), 0xFF), b[cut:]...)
			convs = append(convs, conversation{chunks: []chunk{{c2s, bad}}})
		}
	}
	for _, c := range convs {
		rec, _ := play(c, &Config{MaxCommandBytes: 64, MaxViolations: 100})
		fmt.Fprintf(&out, "%+v\n%+v\n", rec.Msgs, rec.Anoms)
	}
	_, err := parseCommand(elemImplicit(0x10, 0x10, []byte(planted[0])))
	fmt.Fprintln(&out, err)
	s := out.String()
	for _, v := range planted {
		for _, part := range strings.Split(v, "^") {
			assert.NotContains(t, s, part)
		}
	}
	assert.Contains(t, s, "DICOM (0010,0010)") // the kinds are there
}

// TestSteadyStateAllocs locks in that a P-DATA transfer allocates nothing per
// PDU once the association is set up.
func TestSteadyStateAllocs(t *testing.T) {
	c := convStore()
	a := NewAnalyzer(newTestFlow(), &prototest.NullEmitter{}, nil)
	for _, ch := range c.chunks[:2] {
		a.Data(ch.dir, ch.data, t0)
	}
	data := splitPDUs(3, storeDataset(), 1000)
	cmd := pdata(pdv{3, pdvCommand | pdvLast, commandSet(0x0001, 2, uidCTStorage, -1, true)})
	allocs := testing.AllocsPerRun(100, func() {
		a.Data(c2s, cmd, t0)
		for _, p := range data {
			a.Data(c2s, p, t0)
		}
	})
	// strconv of the message ID may allocate for IDs >= 100; ID 2 does not.
	assert.Zero(t, allocs)
}

// TestCommandNames pins the command field table against PS3.7 annex E values.
func TestCommandNames(t *testing.T) {
	for field, name := range map[uint16]string{0x0001: "C-STORE-RQ", 0x8020: "C-FIND-RSP", 0x0FFF: "C-CANCEL-RQ", 0x1234: "unknown"} {
		c := command{field: field}
		assert.Equal(t, name, c.name())
	}
	assert.Equal(t, "pending", statusClass(0xFF01))
	assert.Equal(t, "warning", statusClass(0xB000))
	assert.Equal(t, "failure", statusClass(0xC000))
	assert.Equal(t, "cancel", statusClass(0xFE00))
	// The command set parser rejects a length that overruns.
	b := elemImplicit(0, tagCommandField, us16(1))
	binary.LittleEndian.PutUint32(b[4:], 0xFFFFFFF0)
	_, err := parseCommand(b)
	assert.Error(t, err)
}

// TestResponseLatency correlates DIMSE responses with their requests.
func TestResponseLatency(t *testing.T) {
	c := convFind()
	rec := &prototest.Recorder{}
	a := NewAnalyzer(newTestFlow(), rec, nil)
	for i, ch := range c.chunks {
		a.Data(ch.dir, ch.data, t0.Add(time.Duration(i)*100*time.Millisecond))
	}
	var lat []time.Duration
	for _, m := range rec.Msgs {
		if m.Attrs["command"] == "C-FIND-RSP" {
			lat = append(lat, m.AckLatency)
		}
	}
	assert.Equal(t, []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond}, lat)
}
