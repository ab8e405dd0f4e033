package trail_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/trail"
)

func TestVerifyIntactFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	var c trail.Chain
	writeChain(t, &c, path, 1, 25)
	n, brk, err := trail.VerifyFile(path)
	require.NoError(t, err)
	assert.Nil(t, brk)
	assert.Equal(t, 25, n)
	assert.Equal(t, uint64(25), c.Head().Seq)
}

func TestVerifyNamesTheBreak(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(l [][]byte) [][]byte
		want   trail.Break
		intact int
	}{
		{"edited summary", func(l [][]byte) [][]byte {
			l[4] = bytes.Replace(l[4], []byte("port 8080"), []byte("port 8081"), 1)
			return l
		}, trail.Break{Line: 5, Seq: 5, Other: 6, Reason: trail.ReasonAltered}, 4},
		{"edited severity", func(l [][]byte) [][]byte {
			l[0] = bytes.Replace(l[0], []byte(`"medium"`), []byte(`"low"`), 1)
			return l
		}, trail.Break{Line: 1, Seq: 1, Other: 2, Reason: trail.ReasonAltered}, 0},
		{"deleted", func(l [][]byte) [][]byte {
			return append(l[:3:3], l[4:]...)
		}, trail.Break{Line: 4, Seq: 5, Want: 4, Reason: trail.ReasonMissing}, 3},
		{"three deleted", func(l [][]byte) [][]byte {
			return append(l[:3:3], l[6:]...)
		}, trail.Break{Line: 4, Seq: 7, Want: 4, Reason: trail.ReasonMissing}, 3},
		{"swapped", func(l [][]byte) [][]byte {
			l[6], l[7] = l[7], l[6]
			return l
		}, trail.Break{Line: 7, Seq: 8, Want: 7, Other: 8, Reason: trail.ReasonReordered}, 6},
		{"moved back", func(l [][]byte) [][]byte {
			moved := l[2]
			l = append(l[:2:2], l[3:]...)
			return append(l[:6:6], append([][]byte{moved}, l[6:]...)...)
		}, trail.Break{Line: 3, Seq: 4, Want: 3, Other: 7, Reason: trail.ReasonReordered}, 2},
		{"duplicated", func(l [][]byte) [][]byte {
			return append(l[:5:5], append([][]byte{l[4]}, l[5:]...)...)
		}, trail.Break{Line: 6, Seq: 5, Want: 6, Reason: trail.ReasonDuplicate}, 5},
		{"not json", func(l [][]byte) [][]byte {
			l[2] = []byte("garbage\n")
			return l
		}, trail.Break{Line: 3, Reason: trail.ReasonBadJSON}, 2},
		{"empty line", func(l [][]byte) [][]byte {
			return append(l[:2:2], append([][]byte{[]byte("\n")}, l[2:]...)...)
		}, trail.Break{Line: 3, Reason: trail.ReasonBadJSON}, 2},
		{"unsealed", func(l [][]byte) [][]byte {
			l[3] = []byte(`{"type":"scan","summary":"x"}` + "\n")
			return l
		}, trail.Break{Line: 4, Reason: trail.ReasonUnsealed}, 3},
		{"other sensor", func(l [][]byte) [][]byte {
			l[8] = bytes.Replace(l[8], []byte(`"sensor":"lab-a"`), []byte(`"sensor":"lab-b"`), 1)
			return l
		}, trail.Break{Line: 9, Seq: 9, Reason: trail.ReasonOtherSensor}, 8},
		{"file starts mid-chain", func(l [][]byte) [][]byte {
			return l[1:]
		}, trail.Break{}, 9},
		{"restarted", func(l [][]byte) [][]byte {
			return append(l[:5:5], l...)
		}, trail.Break{Line: 6, Seq: 1, Want: 6, Reason: trail.ReasonRestarted}, 5},
		{"too long", func(l [][]byte) [][]byte {
			l[1] = append(bytes.Repeat([]byte("x"), trail.MaxLineBytes+10), '\n')
			return l
		}, trail.Break{Line: 2, Reason: trail.ReasonTooLong}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := tt.edit(chainLines(t, 10))
			n, brk := trail.Verify(bytes.NewReader(join(lines)))
			assert.Equal(t, tt.intact, n)
			if tt.want.Reason == "" {
				// A file rotated mid-chain starts anywhere: it is intact.
				assert.Nil(t, brk)
				return
			}
			require.NotNil(t, brk)
			assert.Equal(t, tt.want, *brk)
			assert.Contains(t, brk.Error(), string("line "))
		})
	}
}

func TestVerifyHeadCatchesTheTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	var c trail.Chain
	writeChain(t, &c, path, 1, 6)
	head := c.Head()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := bytes.SplitAfter(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))

	_, brk := trail.VerifyHead(bytes.NewReader(data), head)
	assert.Nil(t, brk)

	// The last line altered: the chain alone cannot tell, the saved head can.
	edited := append([][]byte{}, lines...)
	edited[5] = bytes.Replace(edited[5], []byte("#6"), []byte("#7"), 1)
	_, brk = trail.Verify(bytes.NewReader(join(edited)))
	assert.Nil(t, brk)
	_, brk = trail.VerifyHead(bytes.NewReader(join(edited)), head)
	require.NotNil(t, brk)
	assert.Equal(t, trail.Break{Line: 6, Seq: 6, Reason: trail.ReasonHeadMismatch}, *brk)

	// The last two lines deleted.
	n, brk := trail.VerifyHead(bytes.NewReader(join(lines[:4])), head)
	require.NotNil(t, brk)
	assert.Equal(t, 4, n)
	assert.Equal(t, trail.Break{Line: 5, Want: 6, Reason: trail.ReasonHeadMismatch}, *brk)
	assert.Contains(t, brk.Error(), "past the end of the file")
}

// TestChainSurvivesRestart saves the head, starts a new chain from it and
// appends to the same file: the file verifies as one chain.
func TestChainSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	alerts, state := filepath.Join(dir, "alerts.jsonl"), filepath.Join(dir, "trail.head")
	var first trail.Chain
	writeChain(t, &first, alerts, 1, 7)
	require.NoError(t, first.SaveHead(state))

	var second trail.Chain
	require.NoError(t, second.LoadHead(state))
	assert.Equal(t, first.Head(), second.Head())
	writeChain(t, &second, alerts, 8, 5)
	n, brk, err := trail.VerifyFile(alerts)
	require.NoError(t, err)
	assert.Nil(t, brk)
	assert.Equal(t, 12, n)

	// Without the head the chain restarts, and verify says so.
	var lost trail.Chain
	writeChain(t, &lost, alerts, 13, 2)
	n, brk, err = trail.VerifyFile(alerts)
	require.NoError(t, err)
	require.NotNil(t, brk)
	assert.Equal(t, 12, n)
	assert.Equal(t, trail.ReasonRestarted, brk.Reason)
	assert.Equal(t, 13, brk.Line)
}

// TestResumeFromFile: the head saved last lags the file after a crash; the
// chain resumes from the file's last alert instead.
func TestResumeFromFile(t *testing.T) {
	dir := t.TempDir()
	alerts, state := filepath.Join(dir, "alerts.jsonl"), filepath.Join(dir, "trail.head")
	var c trail.Chain
	writeChain(t, &c, alerts, 1, 3)
	require.NoError(t, c.SaveHead(state))
	writeChain(t, &c, alerts, 4, 4) // written, then the sensor crashed

	var next trail.Chain
	require.NoError(t, next.LoadHead(state))
	assert.Equal(t, uint64(3), next.Head().Seq)
	require.NoError(t, next.ResumeFile(alerts))
	assert.Equal(t, c.Head(), next.Head())
	require.NoError(t, next.ResumeFile(filepath.Join(dir, "absent")))
	writeChain(t, &next, alerts, 8, 2)
	n, brk, err := trail.VerifyFile(alerts)
	require.NoError(t, err)
	assert.Nil(t, brk)
	assert.Equal(t, 9, n)
}

func TestHeadFile(t *testing.T) {
	dir := t.TempDir()
	var c trail.Chain
	require.NoError(t, c.LoadHead(filepath.Join(dir, "missing")), "a missing head is a new chain")
	assert.Equal(t, trail.Head{}, c.Head())

	for name, content := range map[string]string{
		"garbage":   "not json",
		"format":    `{"format":"other","version":1,"seq":1,"hash":""}`,
		"version":   `{"format":"labwatch-trail-head","version":9,"seq":0,"hash":""}`,
		"bad hash":  `{"format":"labwatch-trail-head","version":1,"seq":4,"hash":"xyz"}`,
		"seq 0":     `{"format":"labwatch-trail-head","version":1,"seq":0,"hash":"` + strings.Repeat("a", 64) + `"}`,
		"unknown":   `{"format":"labwatch-trail-head","version":1,"seq":0,"hash":"","extra":1}`,
		"too large": strings.Repeat(" ", 5000),
	} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		err := c.LoadHead(path)
		assert.ErrorIs(t, err, trail.ErrHead, name)
	}
	assert.Error(t, c.Restore(3, ""))
	assert.NoError(t, c.Restore(3, strings.Repeat("0", 64)))
	ok, err := c.Resume(trail.Head{Seq: 2, Hash: strings.Repeat("1", 64)})
	assert.NoError(t, err)
	assert.False(t, ok, "an older head does not move the chain back")
}
