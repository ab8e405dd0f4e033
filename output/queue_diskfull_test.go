package output

import (
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"labwatch/detect"
	"labwatch/internal/testfs"
)

// phiNumbered is numbered alert n carrying a planted patient value, which no
// log line may repeat.
func phiNumbered(n int) *detect.Alert {
	a := numbered(n)
	a.Summary = "patient " + planted[n%len(planted)]
	return a
}

// writeEach writes alerts from..to-1 one batch each (Sync after every alert,
// so every one is its own disk transaction) and returns how long it took.
func writeEach(s *Syslog, from, to int) time.Duration {
	start := time.Now()
	for i := from; i < to; i++ {
		s.Write(phiNumbered(i))
		s.Sync()
	}
	return time.Since(start)
}

// receivedInOrder returns the numbers of the alerts rsyslogd wrote, failing
// the test when they are not in increasing order (TCP delivery resends only
// after a reconnect, and rsyslogd runs without restarts here).
func receivedInOrder(t *testing.T, r *rsyslog) []int {
	t.Helper()
	var got []int
	for _, line := range r.lines() {
		seen, _ := idsIn([]string{line})
		for n := range seen {
			got = append(got, n)
		}
	}
	for i := 1; i < len(got); i++ {
		require.Less(t, got[i-1], got[i], "alerts arrive in queue order")
	}
	return got
}

// TestSyslogQueueDiskFull fills the queue's filesystem while the receiver is
// down: Write and Sync never block, refused alerts are counted (Dropped and
// DiskDropped), the failure is logged once without patient values; once room
// is back new alerts are queued again, and when rsyslogd comes back every
// queued alert arrives in order.
func TestSyslogQueueDiskFull(t *testing.T) {
	r := newRsyslog(t)
	r.kill() // the receiver is down for the whole fault
	dir := testfs.Small(t, 256<<10)
	cfg := r.config(t, "tcp", FormatRFC5424)
	cfg.QueueDir = dir
	logs, log := logBuffer()
	s, err := NewSyslog(cfg, log)
	require.NoError(t, err)
	defer s.Close()

	writeEach(s, 0, 5)
	require.EqualValues(t, 5, s.Stats().Queued.Load())
	testfs.Fill(t, dir)
	took := writeEach(s, 5, 105)
	assert.Less(t, took, 10*time.Second, "a full disk does not block the caller")
	st := s.Stats()
	assert.Positive(t, st.Dropped.Load(), "the full disk refused alerts")
	assert.Equal(t, st.Dropped.Load(), st.DiskDropped.Load(), "every drop is the disk's")
	assert.EqualValues(t, 105, st.Queued.Load()+st.Dropped.Load(), "each alert is queued or counted")
	t.Logf("full disk: %d of 100 alerts refused, %d queued in pages the queue already owned, in %v",
		st.Dropped.Load(), st.Queued.Load()-5, took)
	assert.Equal(t, 1, strings.Count(logs.String(), "disk queue write failed"), logs.String())
	assert.Contains(t, logs.String(), "no space left on device")

	testfs.Free(t, dir, -1)
	queuedBefore := st.Queued.Load()
	writeEach(s, 105, 115)
	assert.Equal(t, queuedBefore+10, st.Queued.Load(), "alerts are queued again once room is back")
	assert.Equal(t, 1, strings.Count(logs.String(), "disk queue write works again"), logs.String())

	r.start()
	waitFor(t, "the queued alerts", 15*time.Second, func() bool { return s.Stats().Sent.Load() >= st.Queued.Load() })
	waitFor(t, "rsyslogd to write them", 5*time.Second, func() bool { return len(r.lines()) >= int(st.Queued.Load()) })
	got := receivedInOrder(t, r)
	assert.Len(t, got, int(st.Queued.Load()))
	assert.Equal(t, []int{0, 1, 2, 3, 4}, got[:5], "alerts queued before the fault")
	assert.Equal(t, []int{105, 106, 107, 108, 109, 110, 111, 112, 113, 114}, got[len(got)-10:], "alerts queued after it")
	for _, p := range planted {
		assert.NotContains(t, logs.String(), p, "no patient value in the logs")
	}
}

// TestSyslogQueueReadOnlyDir: a restart on a queue directory that turned
// read-only fails at once with an error naming the file and EROFS; once
// writable, the alerts queued before arrive in order, and new ones are queued
// and sent.
func TestSyslogQueueReadOnlyDir(t *testing.T) {
	r := newRsyslog(t)
	r.kill()
	dir := testfs.Small(t, 256<<10)
	cfg := r.config(t, "tcp", FormatRFC5424)
	cfg.QueueDir = dir
	cfg.CloseTimeout = 100 * time.Millisecond
	s, err := NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	writeEach(s, 0, 5)
	require.NoError(t, s.Close(), "the alerts stay queued for the next run")

	testfs.ReadOnly(t, dir)
	start := time.Now()
	_, err = NewSyslog(cfg, zerolog.Nop())
	require.ErrorIs(t, err, unix.EROFS)
	assert.Contains(t, err.Error(), dir)
	assert.Less(t, time.Since(start), 3*time.Second, "no waiting on a read-only queue")
	for _, p := range planted {
		assert.NotContains(t, err.Error(), p)
	}

	testfs.Writable(t, dir)
	r.start()
	s, err = NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	defer s.Close()
	writeEach(s, 5, 10)
	assert.EqualValues(t, 5, s.Stats().Queued.Load())
	waitFor(t, "every alert", 15*time.Second, func() bool { return len(r.lines()) >= 10 })
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, receivedInOrder(t, r))
}

// TestSyslogQueueTurnsReadOnly: the queue's disk fails under a running sender
// (ext4 remounting itself read-only at an error, the queue file open): alerts
// are refused and counted, the failure is logged once, Close does not hang;
// after the operator repairs the filesystem a new run delivers the alerts
// queued before the fault, in order, and queues new ones.
func TestSyslogQueueTurnsReadOnly(t *testing.T) {
	r := newRsyslog(t)
	r.kill()
	dir := testfs.Ext4(t, 8<<20)
	cfg := r.config(t, "tcp", FormatRFC5424)
	cfg.QueueDir = dir
	cfg.CloseTimeout = 100 * time.Millisecond
	logs, log := logBuffer()
	s, err := NewSyslog(cfg, log)
	require.NoError(t, err)
	writeEach(s, 0, 5)
	require.EqualValues(t, 5, s.Stats().Queued.Load())

	testfs.Break(t, dir)
	took := writeEach(s, 5, 55)
	assert.Less(t, took, 10*time.Second, "a read-only disk does not block the caller")
	st := s.Stats()
	assert.EqualValues(t, 50, st.DiskDropped.Load(), "every alert after the fault is refused and counted")
	assert.EqualValues(t, 50, st.Dropped.Load())
	assert.EqualValues(t, 5, st.Queued.Load())
	assert.Equal(t, 1, strings.Count(logs.String(), "disk queue write failed"), logs.String())
	assert.Contains(t, logs.String(), "read-only file system")
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		t.Logf("Close on the read-only queue: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs on a read-only queue")
	}
	for _, p := range planted {
		assert.NotContains(t, logs.String(), p, "no patient value in the logs")
	}

	testfs.Repair(t, dir)
	r.start()
	s, err = NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	defer s.Close()
	writeEach(s, 55, 60)
	waitFor(t, "every queued alert", 15*time.Second, func() bool { return len(r.lines()) >= 10 })
	assert.Equal(t, []int{0, 1, 2, 3, 4, 55, 56, 57, 58, 59}, receivedInOrder(t, r))
}
