package output

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/internal/lockedbuf"
)

// numbered is alert n of a test stream; its id carries the number.
func numbered(n int) *detect.Alert {
	a := baseAlert()
	a.ID = fmt.Sprintf("seq-%06d", n)
	a.Summary = fmt.Sprintf("test alert number %d", n)
	return a
}

// idsIn returns which numbered alerts appear in msgs, and how many duplicates.
func idsIn(msgs []string) (seen map[int]bool, dups int) {
	seen = map[int]bool{}
	for _, m := range msgs {
		i := strings.Index(m, "seq-")
		if i < 0 {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(m[i:], "seq-%06d", &n); err != nil {
			continue
		}
		if seen[n] {
			dups++
		}
		seen[n] = true
	}
	return seen, dups
}

func testConfig(t *testing.T, url string) SyslogConfig {
	return SyslogConfig{
		Name: "test", URL: url, QueueDir: t.TempDir(), Hostname: "sensor1",
		ConfirmAfter: 300 * time.Millisecond, BackoffMin: 20 * time.Millisecond,
		BackoffMax: 200 * time.Millisecond, CloseTimeout: 2 * time.Second,
	}
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSyslogTCPInOrder(t *testing.T) {
	r := newFakeReceiver(t)
	s, err := NewSyslog(testConfig(t, "tcp://"+r.addr), zerolog.Nop())
	require.NoError(t, err)
	for i := range 200 {
		s.Write(numbered(i))
	}
	waitFor(t, "200 messages", 10*time.Second, func() bool { return len(r.received()) >= 200 })
	require.NoError(t, s.Close())
	msgs := r.received()
	for i, m := range msgs {
		assert.Contains(t, m, fmt.Sprintf("seq-%06d", i))
		_, err := parse5424([]byte(m))
		require.NoError(t, err)
	}
	assert.EqualValues(t, 200, s.Stats().Sent.Load())
	assert.EqualValues(t, 200, s.Stats().Queued.Load())
	n, _ := s.QueueDepth()
	assert.Zero(t, n, "all confirmed before Close returned")
}

// TestSyslogResendsAfterCrash: the receiver crashes losing what it held in
// memory; the unconfirmed tail is resent after it comes back, nothing is missing.
func TestSyslogResendsAfterCrash(t *testing.T) {
	r := newFakeReceiver(t)
	s, err := NewSyslog(testConfig(t, "tcp://"+r.addr), zerolog.Nop())
	require.NoError(t, err)
	defer s.Close()
	for i := range 50 {
		s.Write(numbered(i))
	}
	waitFor(t, "first 50", 5*time.Second, func() bool { return len(r.received()) >= 50 })
	r.crash(10)
	for i := 50; i < 100; i++ {
		s.Write(numbered(i))
	}
	time.Sleep(300 * time.Millisecond)
	r.restart()
	waitFor(t, "all 100", 10*time.Second, func() bool {
		seen, _ := idsIn(r.received())
		return len(seen) == 100
	})
	assert.NotZero(t, s.Stats().Retried.Load())
}

func TestSyslogQueueSurvivesRestart(t *testing.T) {
	r := newFakeReceiver(t)
	addr := r.addr
	r.crash(0) // nobody listens
	cfg := testConfig(t, "tcp://"+addr)
	cfg.CloseTimeout = 100 * time.Millisecond
	s, err := NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	for i := range 20 {
		s.Write(numbered(i))
	}
	s.Sync()
	n, _ := s.QueueDepth()
	assert.EqualValues(t, 20, n)
	require.NoError(t, s.Close())

	r.restart()
	s, err = NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	waitFor(t, "queued alerts", 5*time.Second, func() bool { return len(r.received()) >= 20 })
	require.NoError(t, s.Close())
	seen, _ := idsIn(r.received())
	assert.Len(t, seen, 20)
}

func TestSyslogQueueCapDrops(t *testing.T) {
	cfg := testConfig(t, "tcp://127.0.0.1:1") // refused at once
	cfg.QueueMaxBytes = 4000
	cfg.CloseTimeout = 50 * time.Millisecond
	s, err := NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	for i := range 50 {
		s.Write(numbered(i))
	}
	s.Sync()
	st := s.Stats()
	assert.EqualValues(t, 50, st.Queued.Load()+st.Dropped.Load())
	assert.NotZero(t, st.Dropped.Load())
	_, b := s.QueueDepth()
	assert.LessOrEqual(t, b, int64(4000))
	require.NoError(t, s.Close())
	s.Write(numbered(99)) // after Close: counted, no panic
	assert.EqualValues(t, 50+1, st.Queued.Load()+st.Dropped.Load())
}

func TestSyslogUDPUnder2048(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer pc.Close()
	s, err := NewSyslog(SyslogConfig{URL: "udp://" + pc.LocalAddr().String(), Format: FormatCEF, QueueDir: t.TempDir()}, zerolog.Nop())
	require.NoError(t, err)
	a := hostileAlert()
	a.Summary = strings.Repeat("big|=", 4000)
	s.Write(a)
	buf := make([]byte, 65536)
	require.NoError(t, pc.SetReadDeadline(time.Now().Add(5*time.Second)))
	n, _, err := pc.ReadFrom(buf)
	require.NoError(t, err)
	assert.LessOrEqual(t, n, UDPMaxBytes)
	p, err := parseCEF(buf[:n])
	require.NoError(t, err)
	assert.Equal(t, "true", p.fields["truncated"])
	require.NoError(t, s.Close())
}

func TestNewSyslogRejectsBadConfig(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		cfg  SyslogConfig
		want error
	}{
		{"scheme", SyslogConfig{URL: "http://x:1"}, ErrBadURL},
		{"no port", SyslogConfig{URL: "tcp://x"}, ErrBadURL},
		{"format", SyslogConfig{URL: "tcp://x:1", Format: "xml"}, ErrUnknownFormat},
		{"cert without key", SyslogConfig{URL: "tls://x:1", Cert: "c.pem"}, ErrTLSConfig},
		{"ca on tcp", SyslogConfig{URL: "tcp://x:1", CA: "ca.pem"}, ErrTLSConfig},
		{"missing ca", SyslogConfig{URL: "tls://x:1", CA: dir + "/none.pem"}, ErrTLSConfig},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.QueueDir = dir
			_, err := NewSyslog(tc.cfg, zerolog.Nop())
			require.ErrorIs(t, err, tc.want)
		})
	}
	_, err := NewSyslog(SyslogConfig{URL: "tcp://x:1", Facility: "local9", QueueDir: dir}, zerolog.Nop())
	require.Error(t, err)
	_, err = NewSyslog(SyslogConfig{URL: "tcp://x:1", Name: "../etc", QueueDir: dir}, zerolog.Nop())
	require.Error(t, err)
}

func TestMultiFansOut(t *testing.T) {
	var a, b countingSink
	m := Multi{&a, &b}
	m.Write(baseAlert())
	require.NoError(t, m.Close())
	assert.Equal(t, 1, a.n)
	assert.Equal(t, 1, b.n)
	assert.True(t, a.closed && b.closed)
}

type countingSink struct {
	n      int
	closed bool
}

func (c *countingSink) Write(*detect.Alert) { c.n++ }
func (c *countingSink) Close() error        { c.closed = true; return nil }

// logBuffer returns a logger and the buffer it writes to.
func logBuffer() (*lockedbuf.Buffer, zerolog.Logger) {
	b := &lockedbuf.Buffer{}
	return b, zerolog.New(b)
}

func TestOpenSyslogsNamesAndCleanup(t *testing.T) {
	dir := t.TempDir()
	ss, err := OpenSyslogs([]SyslogConfig{
		{URL: "tcp://127.0.0.1:1", QueueDir: dir, CloseTimeout: time.Millisecond},
		{URL: "udp://127.0.0.1:1", QueueDir: dir, CloseTimeout: time.Millisecond},
	}, zerolog.Nop())
	require.NoError(t, err)
	require.Len(t, ss, 2)
	assert.Equal(t, "syslog", ss[0].Name())
	assert.Equal(t, "syslog2", ss[1].Name())
	sinks := Multi{ss[0], ss[1]}
	require.NoError(t, sinks.Reopen())
	require.NoError(t, sinks.Close())

	_, err = OpenSyslogs([]SyslogConfig{
		{Name: "siem", URL: "tcp://127.0.0.1:1", QueueDir: dir, CloseTimeout: time.Millisecond},
		{Name: "siem", URL: "tcp://127.0.0.1:2", QueueDir: dir},
	}, zerolog.Nop())
	require.Error(t, err)
	// The first one was closed: its queue file can be opened again.
	s, err := NewSyslog(SyslogConfig{Name: "siem", URL: "tcp://127.0.0.1:1", QueueDir: dir, CloseTimeout: time.Millisecond}, zerolog.Nop())
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

func TestJSONLinesReopen(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/alerts.jsonl"
	j, err := OpenJSONLines(path)
	require.NoError(t, err)
	j.Write(numbered(1))
	require.NoError(t, os.Rename(path, path+".1")) // logrotate moves the file
	require.NoError(t, Multi{j}.Reopen())
	j.Write(numbered(2))
	require.NoError(t, j.Close())
	old, err := os.ReadFile(path + ".1")
	require.NoError(t, err)
	cur, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(old), "seq-000001")
	assert.Contains(t, string(cur), "seq-000002")
	assert.NotContains(t, string(cur), "seq-000001")
}

// TestJSONLinesFlushWhenIdle: an alert followed by silence reaches the file
// within a few seconds, not at the next alert or at exit.
func TestJSONLinesFlushWhenIdle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	j, err := OpenJSONLines(path)
	require.NoError(t, err)
	defer j.Close()
	j.Write(numbered(1))
	assert.Eventually(t, func() bool {
		b, _ := os.ReadFile(path)
		return strings.Contains(string(b), "seq-000001")
	}, 5*time.Second, 50*time.Millisecond)
}

// TestSyslogBacksOffFromSlammingReceiver: a receiver that accepts and closes
// at once must not make the sender spin.
func TestSyslogBacksOffFromSlammingReceiver(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var accepts atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepts.Add(1)
			_ = c.Close()
		}
	}()
	cfg := testConfig(t, "tcp://"+ln.Addr().String())
	cfg.CloseTimeout = 50 * time.Millisecond
	s, err := NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	s.Write(numbered(1))
	time.Sleep(time.Second)
	require.NoError(t, s.Close())
	assert.Less(t, accepts.Load(), int64(20), "reconnects in one second")
}

// TestSyslogStalledReceiverNeverBlocks: a receiver that accepts and never reads
// fills the socket; Write still returns at once and Close keeps its timeout.
func TestSyslogStalledReceiverNeverBlocks(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	held := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held <- c // never read
		}
	}()
	cfg := testConfig(t, "tcp://"+ln.Addr().String())
	cfg.CloseTimeout = 300 * time.Millisecond
	cfg.WriteTimeout = time.Minute
	s, err := NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	a := baseAlert()
	a.Summary = strings.Repeat("x", 7000)
	start := time.Now()
	for i := range 2000 {
		a.ID = fmt.Sprintf("seq-%06d", i)
		s.Write(a)
	}
	assert.Less(t, time.Since(start), 2*time.Second, "2000 Writes")
	s.Sync()
	start = time.Now()
	require.NoError(t, s.Close())
	assert.Less(t, time.Since(start), 3*time.Second, "Close with a stalled receiver")
	n, _ := s.QueueDepth()
	assert.NotZero(t, n, "what did not get through stays queued")
	assert.EqualValues(t, 2000, s.Stats().Queued.Load()+s.Stats().Dropped.Load())
}
