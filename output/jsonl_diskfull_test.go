package output

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"labwatch/internal/testfs"
)

// fileIDs reads an alert file that must hold whole JSON lines only and
// returns the alert numbers in file order.
func fileIDs(t *testing.T, path string) []int {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if len(data) == 0 {
		return nil
	}
	require.Equal(t, byte('\n'), data[len(data)-1], "the file ends with a whole line")
	var ids []int
	for i, line := range bytes.Split(data[:len(data)-1], []byte("\n")) {
		var a struct{ ID string }
		require.NoError(t, json.Unmarshal(line, &a), "line %d is a whole alert", i+1)
		seen, _ := idsIn([]string{a.ID})
		for n := range seen {
			ids = append(ids, n)
		}
	}
	return ids
}

// TestJSONLinesDiskFull fills the alert file's filesystem: writes fail without
// stopping the caller, the file keeps whole lines only (a partial write is cut
// back), alerts wait in a bounded buffer and beyond it are counted as dropped,
// the failure is logged once without patient values; with room back the
// waiting alerts and new ones are written, in order.
func TestJSONLinesDiskFull(t *testing.T) {
	// Room for the whole buffer (1 MiB) once the filler is gone.
	dir := testfs.Small(t, 4<<20)
	path := filepath.Join(dir, "alerts.jsonl")
	j, err := OpenJSONLines(path)
	require.NoError(t, err)
	logs, log := logBuffer()
	j.SetLogger(log)
	const before, during, after = 10, 4000, 10
	for i := range before {
		j.Write(phiNumbered(i))
	}
	j.Flush()
	require.EqualValues(t, before, j.Stats().Sent.Load())

	testfs.Fill(t, dir)
	for i := before; i < before+during; i++ {
		j.Write(phiNumbered(i))
		if i%100 == 0 {
			j.Flush()
		}
	}
	j.Flush()
	st := j.Stats()
	assert.Positive(t, st.DiskDropped.Load(), "beyond the buffer, alerts are dropped")
	assert.Equal(t, st.Dropped.Load(), st.DiskDropped.Load())
	ids := fileIDs(t, path)
	assert.Len(t, ids, int(st.Sent.Load()), "every alert counted as written is in the file")
	assert.Equal(t, 1, strings.Count(logs.String(), "alerts file write failed"), logs.String())
	assert.Contains(t, logs.String(), "no space left on device")
	t.Logf("full disk: %d alerts written, %d waiting, %d dropped", st.Sent.Load(),
		before+during-int(st.Sent.Load()+st.Dropped.Load()), st.Dropped.Load())

	testfs.Free(t, dir, -1)
	for i := before + during; i < before+during+after; i++ {
		j.Write(phiNumbered(i))
	}
	err = j.Close()
	require.ErrorIs(t, err, unix.ENOSPC, "Close reports the episode")
	assert.Contains(t, err.Error(), path)
	assert.EqualValues(t, before+during+after, st.Sent.Load()+st.Dropped.Load(), "each alert written or counted")
	ids = fileIDs(t, path)
	assert.Len(t, ids, int(st.Sent.Load()))
	for i := 1; i < len(ids); i++ {
		require.Less(t, ids[i-1], ids[i], "alerts in order, none twice")
	}
	assert.Equal(t, before+during+after-1, ids[len(ids)-1], "new alerts are written once room is back")
	assert.Equal(t, 1, strings.Count(logs.String(), "alerts file write works again"), logs.String())
	for _, p := range planted {
		assert.NotContains(t, logs.String(), p, "no patient value in the logs")
		assert.NotContains(t, err.Error(), p)
	}
}

// TestJSONLinesStartsAfterATornLine: a file left ending mid-line by an earlier
// run gets its next alert on a line of its own, never glued to the torn one.
func TestJSONLinesStartsAfterATornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	torn := `{"id":"seq-000001","type":"new_pe`
	require.NoError(t, os.WriteFile(path, []byte(torn), 0o600))
	j, err := OpenJSONLines(path)
	require.NoError(t, err)
	j.Write(numbered(2))
	require.NoError(t, j.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, torn, lines[0])
	assert.True(t, json.Valid([]byte(lines[1])), "the new alert is a whole line")
}
