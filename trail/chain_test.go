package trail_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/trail"
)

func TestSealLinksAlerts(t *testing.T) {
	var c trail.Chain
	a, b := sampleAlert(1), sampleAlert(2)
	c.Seal(a)
	assert.Equal(t, uint64(1), a.Seq)
	assert.Empty(t, a.PrevHash, "the first alert of a chain has no predecessor")
	c.Seal(b)
	assert.Equal(t, uint64(2), b.Seq)
	assert.Len(t, b.PrevHash, 64)
	assert.Equal(t, c.Head().Seq, b.Seq)
	n, brk := trail.Verify(bytes.NewReader(append(append(trail.Line(a), '\n'), trail.Line(b)...)))
	assert.Nil(t, brk)
	assert.Equal(t, 2, n)
	assert.NotContains(t, string(trail.Line(a)), `\u003c`, "HTML escaping off, as the sink writes")
}

// TestSealMakesAlertsEncodable: an alert JSON cannot encode would be lost by
// the sink and leave a hole in the chain; Seal makes it encodable first.
func TestSealMakesAlertsEncodable(t *testing.T) {
	var c trail.Chain
	nan := sampleAlert(1)
	nan.Details = map[string]any{"ratio": math.NaN()}
	far := sampleAlert(2)
	far.TS = time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)
	far.Details = nil
	var file []byte
	for _, a := range []*detect.Alert{nan, far, sampleAlert(3)} {
		c.Seal(a)
		file = append(append(file, trail.Line(a)...), '\n')
	}
	assert.Equal(t, map[string]any{"unencodable": "details"}, nan.Details)
	assert.True(t, far.TS.IsZero())
	n, brk := trail.Verify(bytes.NewReader(file))
	assert.Nil(t, brk)
	assert.Equal(t, 3, n)
}

// TestBreakNamesNoContent: a break says where and why, never what a line held
// (alerts carry no patient data, but a tampered file may carry anything).
func TestBreakNamesNoContent(t *testing.T) {
	const planted = "TESTPATIENT^ALPHA MRN-7734001"
	lines := chainLines(t, 4)
	for i, edit := range [][]byte{
		bytes.Replace(lines[1], []byte("#2"), []byte(planted), 1),
		[]byte(planted + "\n"),
		[]byte(`{"seq":"` + planted + `"}` + "\n"),
		[]byte(`{"seq":3,"sensor":"` + planted + `"}` + "\n"),
	} {
		l := append([][]byte{}, lines...)
		l[1] = edit
		_, brk := trail.Verify(bytes.NewReader(join(l)))
		require.NotNil(t, brk, "edit %d", i)
		assert.NotContains(t, brk.Error(), "TESTPATIENT")
		assert.NotContains(t, brk.Error(), "7734001")
		assert.True(t, strings.HasPrefix(brk.Error(), "trail: line "), brk.Error())
	}
}
