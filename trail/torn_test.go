package trail_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/trail"
)

// TestVerifyNamesATornLastLine: a last line cut short (no newline, not a whole
// alert: a sink stopped by a full disk or a crash) is reported as such, with
// the alerts before it intact; a torn line inside the file is plain bad JSON,
// and a whole last alert that only lacks its newline is fine.
func TestVerifyNamesATornLastLine(t *testing.T) {
	lines := chainLines(t, 5)
	whole := join(lines)

	cut := whole[:len(whole)-len(lines[4])/2]
	n, brk := trail.Verify(bytes.NewReader(cut))
	require.NotNil(t, brk)
	assert.Equal(t, trail.Break{Line: 5, Reason: trail.ReasonTorn}, *brk)
	assert.Equal(t, 4, n, "the alerts before the torn line are intact")
	assert.Contains(t, brk.Error(), "cut short")

	glued := append(append([]byte{}, cut...), '\n')
	glued = append(glued, lines[4]...)
	_, brk = trail.Verify(bytes.NewReader(glued))
	require.NotNil(t, brk)
	assert.Equal(t, trail.Break{Line: 5, Reason: trail.ReasonBadJSON}, *brk)

	n, brk = trail.Verify(bytes.NewReader(bytes.TrimSuffix(whole, []byte("\n"))))
	assert.Nil(t, brk)
	assert.Equal(t, 5, n)

	h, err := trail.TailHead(bytes.NewReader(cut))
	require.NoError(t, err)
	assert.Equal(t, uint64(4), h.Seq, "a restart resumes the chain after the last whole alert")
}
