package output

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQueueOrderCapAndReopen(t *testing.T) {
	dir := t.TempDir()
	q, err := openQueue(dir, "q", 100)
	require.NoError(t, err)
	var msgs [][]byte
	for i := range 12 {
		msgs = append(msgs, fmt.Appendf(nil, "msg-%03d", i)) // 7 bytes each
	}
	stored, full, err := q.append(msgs)
	require.NoError(t, err)
	assert.Equal(t, 12, stored)
	assert.Zero(t, full)
	// The cap (100 bytes) holds 14 of these: 2 more fit, 3 are refused.
	stored, full, err = q.append(msgs[:5])
	require.NoError(t, err)
	assert.Equal(t, 2, stored)
	assert.Equal(t, 3, full)
	assert.EqualValues(t, 14, q.count.Load())
	assert.EqualValues(t, 98, q.bytes.Load())

	got, err := q.readAfter(0, 3)
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, "msg-000", string(got[0].msg))
	require.NoError(t, q.remove([]uint64{got[0].seq, got[1].seq}))
	require.NoError(t, q.close())

	// Reopen: counts rebuilt, order kept, sequence keeps growing.
	q, err = openQueue(dir, "q", 100)
	require.NoError(t, err)
	defer q.close()
	assert.EqualValues(t, 12, q.count.Load())
	assert.EqualValues(t, 84, q.bytes.Load())
	all, err := q.readAfter(0, 100)
	require.NoError(t, err)
	require.Len(t, all, 12)
	assert.Equal(t, "msg-002", string(all[0].msg))
	stored, _, err = q.append([][]byte{[]byte("last")})
	require.NoError(t, err)
	assert.Equal(t, 1, stored)
	tail, err := q.readAfter(all[11].seq, 10)
	require.NoError(t, err)
	require.Len(t, tail, 1)
	assert.Equal(t, "last", string(tail[0].msg))
}

func TestQueueLockedByAnotherOpener(t *testing.T) {
	dir := t.TempDir()
	q, err := openQueue(dir, "q", 100)
	require.NoError(t, err)
	defer q.close()
	_, err = openQueue(dir, "q", 100)
	require.ErrorIs(t, err, ErrQueueLocked)
}
