package hl7

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

const (
	c2s = app.ClientToServer
	s2c = app.ServerToClient
)

func oru(id string) string {
	return "MSH|^~\\&|LIS|LAB|EHR|HOSP|20260304||ORU^R01|" + id + "|P|2.5.1\rPID|1||FAKEMRN01^^^H^MR||TESTPATIENT^A\rOBR|1||FIL0001\rOBX|1|NM|GLU||5.4\r"
}

func ack(code, id string) string {
	return "MSH|^~\\&|EHR|HOSP|LIS|LAB|20260304||ACK^R01|A" + id + "|P|2.5.1\rMSA|" + code + "|" + id + "\r"
}

func TestAnalyzerMessageAndAck(t *testing.T) {
	a, r := newTestAnalyzer(nil)
	a.Data(c2s, mllp(oru("M1")), testT0)
	a.Data(s2c, mllp(ack("AA", "M1")), testT0.Add(150*time.Millisecond))
	a.Data(c2s, mllp(oru("M2")), testT0.Add(time.Second))
	a.Data(s2c, mllp(ack("AE", "M2")), testT0.Add(1300*time.Millisecond))
	a.End(c2s)
	a.End(s2c)
	a.Expire()

	require.Equal(t, []string{"ORU^R01", "ACK", "ORU^R01", "ACK"}, r.Types())
	assert.Empty(t, r.Anoms, "a negative ACK is reported on the message, not as an anomaly")
	m := r.Msgs[0]
	assert.Equal(t, "hl7", m.App)
	assert.Equal(t, c2s, m.Dir)
	assert.Equal(t, testFlow, m.Flow)
	assert.Equal(t, "LIS^LAB", m.Sender)
	assert.Equal(t, "EHR^HOSP", m.Receiver)
	assert.Equal(t, "2.5.1", m.Version)
	assert.Equal(t, "M1", m.ControlID)
	assert.Equal(t, 1, m.Results)
	assert.Equal(t, 1, m.Orders)
	assert.Equal(t, []string{"patient_id", "name", "accession"}, m.PHI.Kinds())
	assert.Equal(t, []string{"PID-3", "PID-5", "OBR-3"}, m.PHIFields)
	assert.Equal(t, map[string]int{"segments": 4, "PID": 1, "OBR": 1, "OBX": 1, "OBX.NM": 1}, m.Counts)
	assert.Equal(t, len(oru("M1")), m.Bytes)

	assert.Equal(t, "AA", r.Msgs[1].Ack)
	assert.Equal(t, 150*time.Millisecond, r.Msgs[1].AckLatency)
	assert.Equal(t, "AE", r.Msgs[3].Ack)
	assert.Equal(t, 300*time.Millisecond, r.Msgs[3].AckLatency)
	st := a.Stats()
	assert.True(t, st.Confirmed)
	assert.Equal(t, 4, st.Messages)
}

func TestAnalyzerCommitThenApplicationAck(t *testing.T) {
	a, r := newTestAnalyzer(nil)
	a.Data(c2s, mllp(oru("M1")), testT0)
	a.Data(s2c, mllp(ack("CA", "M1")), testT0.Add(10*time.Millisecond))
	a.Data(s2c, mllp(ack("AA", "M1")), testT0.Add(2*time.Second))
	a.Expire()
	assert.Empty(t, r.Reasons())
	assert.Equal(t, 10*time.Millisecond, r.Msgs[1].AckLatency)
	assert.Equal(t, 2*time.Second, r.Msgs[2].AckLatency)
}

func TestAnalyzerAckMissing(t *testing.T) {
	t.Run("timeout in capture time", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		a.Data(c2s, mllp(oru("M1")), testT0)
		a.Data(s2c, []byte("\r\n"), testT0.Add(time.Second)) // the other side is visible
		a.Data(c2s, mllp(oru("M2")), testT0.Add(31*time.Second))
		require.Equal(t, []string{ReasonAckMissing}, r.Reasons())
		assert.Equal(t, "ORU^R01 not acknowledged within 30s", r.Anoms[0].Detail)
		assert.Equal(t, c2s, r.Anoms[0].Dir)
		assert.Equal(t, testT0.Add(31*time.Second), r.Anoms[0].TS)
	})
	t.Run("flow ends first", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		a.Data(c2s, mllp(oru("M1")), testT0)
		a.End(s2c)
		a.Expire()
		require.Equal(t, []string{ReasonAckMissing}, r.Reasons())
		assert.Contains(t, r.Anoms[0].Detail, "flow ended before ORU^R01")
	})
	t.Run("asymmetric tap: the other direction is never seen", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		a.Data(c2s, mllp(oru("M1")), testT0)
		a.Data(c2s, mllp(oru("M2")), testT0.Add(time.Minute))
		a.Expire()
		assert.Empty(t, r.Reasons())
	})
	t.Run("no acknowledgement asked", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		msg := strings.Replace(oru("M1"), "|P|2.5.1", "|P|2.5.1|||NE|NE", 1)
		a.Data(c2s, mllp(msg), testT0)
		a.End(s2c)
		a.Expire()
		assert.Empty(t, r.Reasons())
	})
}

func TestAnalyzerAckUnmatchedAndResend(t *testing.T) {
	a, r := newTestAnalyzer(nil)
	a.Data(s2c, mllp(ack("AA", "X0")), testT0) // before any request: capture joined late
	a.Data(c2s, mllp(oru("M1")), testT0)
	a.Data(c2s, mllp(oru("M1")), testT0.Add(5*time.Second)) // resent
	a.Data(s2c, mllp(ack("AA", "M1")), testT0.Add(6*time.Second))
	a.Data(s2c, mllp(ack("AR", "ZZ")), testT0.Add(7*time.Second))
	require.Equal(t, []string{ReasonAckUnmatched}, r.Reasons())
	assert.Equal(t, "ACK acknowledges a control ID never seen on this flow", r.Anoms[0].Detail)
	assert.Equal(t, 1, r.Msgs[2].Counts["resent"])
	assert.Equal(t, 6*time.Second, r.Msgs[3].AckLatency, "latency counts from the first send")
}

func TestAnalyzerAckTableFull(t *testing.T) {
	a, r := newTestAnalyzer(&Config{MaxPendingAcks: 4})
	a.Data(s2c, []byte(" "), testT0)
	for i := range 10 {
		a.Data(c2s, mllp(oru(fmt.Sprint("M", i))), testT0)
	}
	assert.Equal(t, []string{ReasonAckTableFull}, r.Reasons(), "reported once per flow")
	a.Data(s2c, mllp(ack("AA", "M9")), testT0.Add(time.Second))
	assert.Equal(t, time.Second, r.Msgs[len(r.Msgs)-1].AckLatency)
}

func TestAnalyzerFraming(t *testing.T) {
	msg := oru("M1")
	tests := []struct {
		name    string
		data    string
		types   []string
		reasons []string
	}{
		{"several frames, padding between", "\x0b" + msg + "\x1c\r\r\n\x0b" + msg + "\x1c\r", []string{"ORU^R01", "ORU^R01"}, nil},
		{"stray bytes between frames", "\x0b" + msg + "\x1c\rgarbage\x0b" + msg + "\x1c\r", []string{"ORU^R01", "ORU^R01"}, []string{ReasonStrayBytes}},
		{"end block without CR, twice", "\x0b" + msg + "\x1c\x0b" + msg + "\x1c\x0b" + msg + "\x1c\r", []string{"ORU^R01", "ORU^R01", "ORU^R01"}, []string{ReasonBadMLLPFraming}},
		{"missing end block before next frame", "\x0b" + msg + "\x0b" + msg + "\x1c\r", []string{"ORU^R01", "ORU^R01"}, []string{ReasonMissingEndBlock}},
		{"missing end block at the end", "\x0b" + msg + "\x1c\r\x0b" + msg, []string{"ORU^R01", "ORU^R01"}, []string{ReasonMissingEndBlock}},
		{"two messages in one frame", "\x0b" + msg + msg + "\x1c\r", []string{"ORU^R01", "ORU^R01"}, []string{ReasonBadMLLPFraming}},
		{"keep-alive empty frame", "\x0b" + msg + "\x1c\r\x0b\x1c\r", []string{"ORU^R01"}, nil},
		{"frame that is not HL7 after a good one", "\x0b" + msg + "\x1c\r\x0bHELLO\x1c\r", []string{"ORU^R01"}, []string{ReasonBadMSH}},
		{"batch in one frame", "\x0bFHS|^~\\&|A\rBHS|^~\\&|A\r" + msg + msg + "BTS|2\rFTS|1\r\x1c\r", []string{"ORU^R01", "ORU^R01"}, nil},
		{"batch count wrong", "\x0bBHS|^~\\&|A\r" + msg + "BTS|3\r\x1c\r", []string{"ORU^R01"}, []string{ReasonBadBatch}},
		{"raw stream", msg + msg, []string{"ORU^R01", "ORU^R01"}, nil},
		{"raw stream with leading junk", "junk line\r" + msg, []string{"ORU^R01"}, nil},
		{"mid-stream pickup of MLLP", "OBX|9|NM|X||1\r\x1c\r\x0b" + msg + "\x1c\r", []string{"ORU^R01"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, chunks := range [][]int{nil, ones(len(tc.data))} {
				r := runRaw([]byte(tc.data), chunks)
				assert.Equal(t, tc.types, r.Types())
				assert.Equal(t, tc.reasons, r.Reasons())
			}
		})
	}
}

func ones(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = 1
	}
	return out
}

func TestAnalyzerGap(t *testing.T) {
	t.Run("MLLP", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		frame := mllp(oru("M1"))
		a.Data(c2s, frame, testT0)
		a.Data(c2s, frame[:20], testT0)
		a.Gap(c2s, 100)
		a.Data(c2s, []byte("lost tail of a message\r\x1c\r"), testT0)
		a.Data(c2s, frame, testT0)
		a.Expire()
		assert.Equal(t, []string{"ORU^R01", "ORU^R01"}, r.Types())
		require.Equal(t, []string{ReasonGapResync}, r.Reasons())
		assert.Equal(t, "100 bytes lost; partial message discarded", r.Anoms[0].Detail)
	})
	t.Run("raw resynchronises at the next MSH line", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		msg := []byte(oru("M1"))
		a.Data(c2s, msg, testT0)
		a.Data(c2s, msg, testT0) // completes the first (raw messages end where the next starts)
		a.Gap(c2s, -1)
		a.Data(c2s, []byte("X|tail MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\r"), testT0)
		a.Data(c2s, msg, testT0)
		a.Expire()
		assert.Equal(t, []string{"ORU^R01", "ORU^R01"}, r.Types())
		require.Equal(t, []string{ReasonGapResync}, r.Reasons())
		assert.Equal(t, "an unknown number of bytes lost; partial message discarded", r.Anoms[0].Detail)
	})
	t.Run("acknowledgements lost in a gap are not missing", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		a.Data(c2s, mllp(oru("M1")), testT0)
		a.Gap(s2c, 50)
		a.Data(s2c, []byte("\x1c\r"), testT0)
		a.Expire()
		assert.Equal(t, []string{ReasonGapResync}, r.Reasons())
	})
}

func TestAnalyzerRawReplyCompletesMessage(t *testing.T) {
	a, r := newTestAnalyzer(nil)
	a.Data(c2s, []byte(oru("M1")), testT0)
	assert.Empty(t, r.Msgs, "without MLLP the end of a message is not known yet")
	a.Data(s2c, []byte(ack("AA", "M1")), testT0.Add(40*time.Millisecond))
	require.Equal(t, []string{"ORU^R01"}, r.Types())
	a.End(s2c)
	require.Equal(t, []string{"ORU^R01", "ACK"}, r.Types())
	assert.Equal(t, 40*time.Millisecond, r.Msgs[1].AckLatency)
}

func TestAnalyzerGivesUp(t *testing.T) {
	t.Run("never HL7", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		for range 50 {
			a.Data(c2s, []byte("\x0bGET / HTTP/1.1\x1c\r"), testT0)
		}
		a.Expire()
		require.Len(t, r.Anoms, 1)
		assert.Equal(t, ReasonGaveUp, r.Anoms[0].Reason)
		assert.True(t, r.Anoms[0].GaveUp)
		assert.Equal(t, "8 violations in a row (no well-formed HL7 message; first: bad_msh)", r.Anoms[0].Detail)
		st := a.Stats()
		assert.True(t, st.GaveUp)
		assert.Positive(t, st.Skipped)
	})
	t.Run("HL7 that turns bad", func(t *testing.T) {
		a, r := newTestAnalyzer(&Config{MaxViolations: 3})
		a.Data(c2s, mllp(oru("M1")), testT0)
		for range 10 {
			a.Data(c2s, mllp("MSH|^~\\&|A|B|C|D|1|||1|P|2.5\r"), testT0)
		}
		assert.Equal(t, []string{ReasonMissingMSH9, ReasonMissingMSH9, ReasonMissingMSH9, ReasonGaveUp}, r.Reasons())
	})
	t.Run("a good message resets the count", func(t *testing.T) {
		a, r := newTestAnalyzer(&Config{MaxViolations: 2})
		for range 5 {
			a.Data(c2s, mllp(oru("M1")), testT0)
			a.Data(c2s, mllp("MSH|^~\\&|A|B|C|D|1|||1|P|2.5\r"), testT0)
		}
		assert.NotContains(t, r.Reasons(), ReasonGaveUp)
	})
	t.Run("too many bytes before a message", func(t *testing.T) {
		a, r := newTestAnalyzer(&Config{MaxUnconfirmedBytes: 1000})
		junk := []byte(strings.Repeat("x", 600))
		a.Data(c2s, junk, testT0)
		a.Data(c2s, junk, testT0)
		a.Data(c2s, mllp(oru("M1")), testT0)
		assert.Empty(t, r.Msgs)
		assert.Equal(t, []string{ReasonGaveUp}, r.Reasons())
	})
	t.Run("one bad message on an unconfirmed flow is reported at expiry", func(t *testing.T) {
		a, r := newTestAnalyzer(nil)
		a.Data(c2s, mllp("MSH|||||\r"), testT0)
		assert.Empty(t, r.Anoms)
		a.Expire()
		require.Equal(t, []string{ReasonBadMSH}, r.Reasons())
		assert.Contains(t, r.Anoms[0].Detail, "flow never confirmed as HL7; 1 violations")
	})
}

func TestAnalyzerAnomalyLimit(t *testing.T) {
	a, r := newTestAnalyzer(&Config{MaxAnomaliesPerFlow: 3})
	bad := strings.Replace(oru("M1"), "2.5.1", "9.9", 1) // each one warns bad_version
	for range 10 {
		a.Data(c2s, mllp(bad), testT0)
	}
	assert.Equal(t, []string{ReasonBadVersion, ReasonBadVersion, ReasonBadVersion, ReasonAnomalyLimit}, r.Reasons())
	assert.Len(t, r.Msgs, 10)
	assert.Equal(t, 7, a.Stats().Suppressed)
}

func TestAnalyzerMessageTooLarge(t *testing.T) {
	big := oru("M1") + strings.Repeat("OBX|2|TX|NOTE||"+strings.Repeat("x", 90)+"\r", 20)
	for _, chunks := range [][]int{nil, {100, 100, 100}} {
		a, r := newTestAnalyzer(&Config{MaxMessageBytes: 400})
		feed(a, c2s, mllp(big, oru("M2")), chunks)
		a.Expire()
		require.Equal(t, []string{"ORU^R01", "ORU^R01"}, r.Types())
		assert.Equal(t, 1, r.Msgs[0].Counts["truncated"])
		assert.Equal(t, 400, r.Msgs[0].Bytes)
		assert.Equal(t, []string{ReasonMsgTooLarge}, r.Reasons())
		assert.Equal(t, 1, a.Stats().Truncated)
	}
}

// TestAnalyzerMessageTooLargeReportedAtTheCap: on a confirmed flow a message
// that crosses the cap is reported then, once — a message that never ends (a
// 100 MB "segment") is not silent until the connection closes.
func TestAnalyzerMessageTooLargeReportedAtTheCap(t *testing.T) {
	segment := "OBX|2|TX|NOTE||" + strings.Repeat("x", 90) + "\r"
	t.Run("never ends", func(t *testing.T) {
		a, r := newTestAnalyzer(&Config{MaxMessageBytes: 400})
		a.Data(c2s, mllp(oru("M1")), testT0)
		open := append([]byte{startBlock}, oru("M2")...)
		a.Data(c2s, open, testT0)
		for range 20 {
			a.Data(c2s, []byte(segment), testT0)
		}
		assert.Equal(t, []string{ReasonMsgTooLarge}, r.Reasons(), "reported while the message is still open")
		a.Expire()
		assert.Equal(t, 1, count(r.Reasons(), ReasonMsgTooLarge), "and not again at the end")
	})
	t.Run("ends later", func(t *testing.T) {
		a, r := newTestAnalyzer(&Config{MaxMessageBytes: 400})
		big := oru("M2") + strings.Repeat(segment, 20)
		feed(a, c2s, mllp(oru("M1"), big, oru("M3")), []int{100, 100, 100})
		a.Expire()
		assert.Equal(t, []string{ReasonMsgTooLarge}, r.Reasons())
		require.Equal(t, []string{"ORU^R01", "ORU^R01", "ORU^R01"}, r.Types())
		assert.Equal(t, 1, r.Msgs[1].Counts["truncated"], "the message is still marked truncated")
	})
}

func count(xs []string, x string) int {
	n := 0
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}

func TestAnalyzerUTF16Stream(t *testing.T) {
	b := readCorpus(t, "hl7v2rs__ack_v251_utf16le_bom.hl7")
	a, r := newTestAnalyzer(nil)
	a.Data(c2s, b[:7], testT0)
	a.Data(c2s, b[7:], testT0)
	a.Expire()
	require.Equal(t, []string{ReasonBadMSH9}, r.Reasons(), "decoded, then rejected: MSH-9 holds the control ID")
}

func TestAnalyzerIgnoresCallsAfterGivingUp(t *testing.T) {
	a, r := newTestAnalyzer(&Config{MaxViolations: 1})
	a.Data(c2s, mllp("MSH|||\r"), testT0)
	n := len(r.Anoms)
	a.Data(c2s, mllp(oru("M1")), testT0)
	a.Gap(c2s, 5)
	a.End(c2s)
	a.Expire()
	assert.Len(t, r.Anoms, n)
	assert.Empty(t, r.Msgs)
}
