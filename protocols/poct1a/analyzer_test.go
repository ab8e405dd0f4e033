package poct1a

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// TestSegmentation feeds every conversation whole, byte by byte and in random
// cuts: the output must not change.
func TestSegmentation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range conversations(t) {
		t.Run(c.name, func(t *testing.T) {
			whole := play(c.chunks, nil)
			for _, cut := range []int{1, 3, 17, 0} {
				var pieces []chunk
				for _, ch := range c.chunks {
					for b := ch.data; len(b) > 0; {
						n := cut
						if n == 0 {
							n = 1 + rng.IntN(200)
						}
						n = min(n, len(b))
						pieces = append(pieces, chunk{ch.dir, b[:n], ch.at})
						b = b[n:]
					}
				}
				rec := play(pieces, nil)
				require.Equal(t, whole.Msgs, rec.Msgs, "cut %d", cut)
				require.Equal(t, whole.Reasons(), rec.Reasons(), "cut %d", cut)
			}
		})
	}
}

// TestGap loses the middle of OBS.R01 and expects the next message parsed.
func TestGap(t *testing.T) {
	obs := sample(t, "obs_r01.xml")
	rec := &prototest.Recorder{}
	a := NewAnalyzer(newTestFlow(), rec, nil)
	a.Data(c2s, sample(t, "hel_r01.xml"), t0)
	a.Data(c2s, obs[:300], t0)
	a.Gap(c2s, 200)
	a.Data(c2s, obs[500:], t0)
	a.Data(c2s, sample(t, "eot_r01.xml"), t0)
	a.Expire()
	assert.Equal(t, []string{"HEL.R01", "EOT.R01"}, rec.Types())
	assert.Equal(t, []string{ReasonGapResync}, rec.Reasons())
}

// TestTruncated reports a message cut by the end of the stream.
func TestTruncated(t *testing.T) {
	rec := play([]chunk{{c2s, sample(t, "obs_r01.xml")[:400], 0}}, nil)
	assert.Empty(t, rec.Msgs)
	assert.Equal(t, []string{ReasonTruncatedMessage}, rec.Reasons())
}

// TestCaps checks each framing cap is reported with its reason and the flow
// goes on with the next message.
func TestCaps(t *testing.T) {
	eot := sample(t, "eot_r01.xml")
	tests := []struct {
		name string
		in   []byte
		cfg  *Config
		want []string
	}{
		{"message too large", sample(t, "obs_r01.xml"), &Config{MaxMessageBytes: 500}, []string{ReasonMessageTooLarge}},
		{"too deep", deepNest(10), &Config{MaxDepth: 5}, []string{ReasonTooDeep}},
		{"too many tokens", []byte("<OBS.R01>" + strings.Repeat("<NTE/>", 50) + "</OBS.R01>"), &Config{MaxTokens: 60}, []string{ReasonTooManyTokens}},
		{"DTD", []byte(billionLaughs), nil, []string{ReasonDTD}},
		{"not POCT root after declaration", []byte(`<?xml version="1.0"?><root/>`), nil, []string{ReasonNotPOCT}},
		{"garbage between messages", []byte("\x02\x03"), nil, []string{ReasonFramingError}},
		{"no start in MaxResyncBytes", bytes.Repeat([]byte("x"), 3000), &Config{MaxResyncBytes: 1000}, []string{ReasonFramingError, ReasonFramingError, ReasonFramingError}},
		{"missing header", []byte(`<KPA.R01/>`), nil, []string{ReasonMissingHeader}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append(append(append([]byte(nil), eot...), tc.in...), eot...)
			rec := play([]chunk{{c2s, in, 0}}, tc.cfg)
			assert.Equal(t, tc.want, rec.Reasons())
			types := rec.Types()
			require.GreaterOrEqual(t, len(types), 2)
			assert.Equal(t, "EOT.R01", types[0])
			assert.Equal(t, "EOT.R01", types[len(types)-1])
		})
	}
}

// TestGarbageGivesUpOnce checks a non-POCT stream ends in one gave_up.
func TestGarbageGivesUpOnce(t *testing.T) {
	rec := play([]chunk{{c2s, bytes.Repeat([]byte("<EOT.R01><x></EOT.R01>"), 50), 0}}, nil)
	assert.Empty(t, rec.Msgs)
	require.Len(t, rec.Anoms, 9)
	assert.True(t, rec.Anoms[8].GaveUp)
}

// TestAckLatency correlates ACK.R01 with the message it acknowledges.
func TestAckLatency(t *testing.T) {
	rec := play([]chunk{
		{c2s, sample(t, "hel_r01.xml"), 0},
		{s2c, sample(t, "ack_r01_hel.xml"), 250 * time.Millisecond},
	}, nil)
	require.Len(t, rec.Msgs, 2)
	assert.Equal(t, 250*time.Millisecond, rec.Msgs[1].AckLatency)
	assert.Equal(t, "AA", rec.Msgs[1].Ack)
	assert.Equal(t, "GLU-4F-0042", rec.Msgs[1].Receiver)
}

// TestNoPatientValueLeaks plants fictional patient and operator values in
// whole and broken messages and checks none of them comes out.
func TestNoPatientValueLeaks(t *testing.T) {
	var out strings.Builder
	convs := conversations(t)
	for _, c := range conversations(t) {
		for _, ch := range c.chunks {
			for _, cut := range []int{len(ch.data) / 3, len(ch.data) / 2} {
				bad := append(append(append([]byte(nil), ch.data[:cut]...), '<', '&'), ch.data[cut:]...)
				convs = append(convs, conversation{chunks: []chunk{{c2s, bad, 0}}})
			}
		}
	}
	for _, c := range convs {
		rec := play(c.chunks, &Config{MaxViolations: 1000})
		fmt.Fprintf(&out, "%+v\n%+v\n", rec.Msgs, rec.Anoms)
	}
	for _, f := range []string{"obs_r01.xml", "opl_r01.xml"} {
		b := sample(t, f)
		for cut := 0; cut < len(b); cut += 7 {
			s, err := Parse(append(append([]byte(nil), b[:cut]...), b[cut+1:]...), nil)
			fmt.Fprintf(&out, "%+v %v\n", s, err)
		}
	}
	s := out.String()
	prototest.AssertNoneOf(t, s, planted)
	assert.Contains(t, s, "POCT1 PT.patient_id")
}

// TestProbe checks content identification (POCT1-A has no standard port).
func TestProbe(t *testing.T) {
	prototest.CheckProbe(t, Probe, []struct {
		Name string
		In   string
		Want app.ProbeResult
	}{
		{"empty", "", app.NeedMore},
		{"declaration and root", string(sample(t, "hel_r01.xml")), app.Match},
		{"root without declaration", "<OBS.R01>", app.Match},
		{"vendor root", "<DTV.EXDX.R01 >", app.Match},
		{"BOM and blank", "\xef\xbb\xbf\r\n<ACK.R01>", app.Match},
		{"comment first", "<?xml version=\"1.0\"?><!-- x --><EOT.R01/>", app.Match},
		{"declaration only", "<?xml version=\"1.0\"?>", app.NeedMore},
		{"root cut", "<?xml version=\"1.0\"?>\n<HEL.R", app.NeedMore},
		{"other XML", "<?xml version=\"1.0\"?><soap:Envelope>", app.NoMatch},
		{"lower-case root", "<hel.r01>", app.NoMatch},
		{"HL7", "\x0bMSH|^~\\&|", app.NoMatch},
		{"ASTM", "\x05\x021H|\\^&", app.NoMatch},
		{"DICOM", "\x01\x00\x00\x00\x00\x44\x00\x01", app.NoMatch},
		{"HTTP", "GET / HTTP/1.1", app.NoMatch},
		{"bad trigger", "<OBS.X01>", app.NoMatch},
		{"empty vendor segment", "<OBS..R01>", app.NoMatch},
	})
}
