package output

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRsyslogReceiverKilledTwice sends numbered alerts while rsyslogd is killed
// (SIGKILL) and restarted twice mid-stream, and proves every number arrived.
// Duplicates are allowed (they keep their id) and counted.
func TestRsyslogReceiverKilledTwice(t *testing.T) {
	for _, scheme := range []string{"tcp", "tls"} {
		t.Run(scheme, func(t *testing.T) {
			r := newRsyslog(t)
			cfg := r.config(t, scheme, FormatRFC5424)
			cfg.ConfirmAfter = DefaultConfirmAfter
			cfg.CloseTimeout = 20 * time.Second
			s, err := NewSyslog(cfg, zerolog.Nop())
			require.NoError(t, err)
			const total = 1500
			var wg sync.WaitGroup
			wg.Go(func() {
				for i := range total {
					s.Write(numbered(i))
					time.Sleep(2 * time.Millisecond)
				}
			})
			progress := func(n int) func() bool {
				return func() bool { seen, _ := idsIn(r.lines()); return len(seen) >= n }
			}
			waitFor(t, "first alerts", 15*time.Second, progress(200))
			r.kill()
			time.Sleep(700 * time.Millisecond)
			r.start()
			waitFor(t, "more alerts", 15*time.Second, progress(800))
			r.kill()
			time.Sleep(700 * time.Millisecond)
			r.start()
			wg.Wait()
			waitFor(t, "every alert", 30*time.Second, progress(total))
			require.NoError(t, s.Close())
			seen, dups := idsIn(r.lines())
			for i := range total {
				require.True(t, seen[i], "alert %d missing", i)
			}
			t.Logf("%s: %d alerts, %d duplicates at the receiver, sent %d, retried %d",
				scheme, total, dups, s.Stats().Sent.Load(), s.Stats().Retried.Load())
			assert.NotZero(t, s.Stats().Retried.Load())
			assert.Zero(t, s.Stats().Dropped.Load())
		})
	}
}

const helperQueueEnv = "LABWATCH_OUTPUT_HELPER_QUEUE"

// TestRsyslogSensorKilledDuringOutage: a sensor process queues alerts while the
// SIEM is down and is killed with SIGKILL; a new process on the same queue
// delivers every alert the first one had synced.
func TestRsyslogSensorKilledDuringOutage(t *testing.T) {
	r := newRsyslog(t)
	r.kill() // the outage
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestSensorHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperQueueEnv+"="+dir, "LABWATCH_OUTPUT_HELPER_URL="+r.url("tcp"))
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	synced := 0
	sc := bufio.NewScanner(stdout)
	for synced < 300 && sc.Scan() {
		fmt.Sscanf(strings.TrimSpace(sc.Text()), "synced %d", &synced)
	}
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	require.GreaterOrEqual(t, synced, 300, "helper did not report progress")

	r.start()
	cfg := testConfig(t, r.url("tcp"))
	cfg.QueueDir = dir
	s, err := NewSyslog(cfg, zerolog.Nop())
	require.NoError(t, err)
	defer s.Close()
	waitFor(t, "queued alerts after restart", 20*time.Second, func() bool {
		seen, _ := idsIn(r.lines())
		for i := range synced {
			if !seen[i] {
				return false
			}
		}
		return true
	})
}

// TestSensorHelperProcess is the sensor killed by the test above; it does
// nothing in a normal run.
func TestSensorHelperProcess(t *testing.T) {
	dir := os.Getenv(helperQueueEnv)
	if dir == "" {
		t.Skip("helper process for TestRsyslogSensorKilledDuringOutage")
	}
	s, err := NewSyslog(SyslogConfig{Name: "test", URL: os.Getenv("LABWATCH_OUTPUT_HELPER_URL"), QueueDir: dir,
		BackoffMin: 20 * time.Millisecond, BackoffMax: 100 * time.Millisecond}, zerolog.Nop())
	require.NoError(t, err)
	for i := 0; ; i++ {
		s.Write(numbered(i))
		if (i+1)%50 == 0 {
			s.Sync()
			fmt.Printf("synced %d\n", i+1)
		}
		time.Sleep(time.Millisecond)
	}
}
