package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/pcapgo"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/testdata/gen"
)

var (
	binary  string // the labwatch binary built once for these tests
	demo    string // a generated demo capture
	demoTru gen.Truth
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "labwatch-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "labwatch")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	demo = filepath.Join(dir, "demo.pcap")
	f, err := os.Create(demo)
	if err != nil {
		panic(err)
	}
	if demoTru, err = gen.Generate(gen.Demo(), f); err != nil {
		panic(err)
	}
	f.Close()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func labwatch(t *testing.T, stdin []byte, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{code, out.String(), errb.String()}
}

func readSummary(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var s map[string]any
	require.NoError(t, json.Unmarshal(b, &s))
	return s
}

func TestReplayWritesSummaryContract(t *testing.T) {
	sum := filepath.Join(t.TempDir(), "summary.json")
	r := labwatch(t, nil, "replay", "--progress=never", "--summary", sum, demo)
	require.Equal(t, 0, r.code, r.stderr)
	s := readSummary(t, sum)
	for _, key := range []string{"packets", "bytes", "flows", "devices", "messages", "parse_errors", "alerts", "dropped"} {
		assert.Contains(t, s, key)
	}
	assert.EqualValues(t, demoTru.Packets, s["packets"])
	assert.EqualValues(t, demoTru.Flows, s["flows"])
	assert.EqualValues(t, demoTru.Devices, s["devices"])
	assert.Contains(t, r.stderr, "packets", "a human summary on stderr")
}

func TestReplayFromStdin(t *testing.T) {
	data, err := os.ReadFile(demo)
	require.NoError(t, err)
	r := labwatch(t, data, "replay", "--progress=never", "--summary=-", "-")
	require.Equal(t, 0, r.code, r.stderr)
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
	assert.EqualValues(t, demoTru.Packets, s["packets"])
}

func TestReplayBadInput(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "notes.pcap")
	require.NoError(t, os.WriteFile(garbage, []byte("this is not a capture file at all\n"), 0o600))

	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing file", []string{"replay", filepath.Join(dir, "nope.pcap")}, 1, "nope.pcap"},
		{"not a capture", []string{"replay", garbage}, 1, "notes.pcap"},
		{"no files", []string{"replay"}, 2, "expected"},
		{"unknown flag", []string{"replay", "--bogus", demo}, 2, "bogus"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := labwatch(t, nil, c.args...)
			assert.Equal(t, c.code, r.code)
			assert.Contains(t, r.stderr, c.want)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			assert.True(t, strings.HasPrefix(lines[0], "labwatch:"), "one-line reason first: %q", r.stderr)
		})
	}
}

func TestReplayTruncatedFileProcessesWhatIsReadable(t *testing.T) {
	data, err := os.ReadFile(demo)
	require.NoError(t, err)
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	require.NoError(t, os.WriteFile(cut, data[:len(data)*2/3+7], 0o600))
	sum := filepath.Join(t.TempDir(), "s.json")
	r := labwatch(t, nil, "replay", "--progress=never", "--summary", sum, cut)
	require.Equal(t, 0, r.code, r.stderr)
	s := readSummary(t, sum)
	assert.Greater(t, s["packets"].(float64), float64(demoTru.Packets)/2)
	problems, ok := s["input_problems"].([]any)
	require.True(t, ok, "input_problems listed")
	p := problems[0].(map[string]any)
	assert.Contains(t, p["file"], "cut.pcap")
	assert.Greater(t, p["offset"].(float64), 0.0)
	assert.NotEmpty(t, p["reason"])
}

func TestBadConfigNamesKeyAndLine(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("sensor: a\ncapture:\n  flowz: {}\n"), 0o600))
	r := labwatch(t, nil, "replay", "--config", cfg, demo)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "flowz")
	assert.Contains(t, r.stderr, "3:")
}

func TestRunMissingInterfaceSaysWhatToDo(t *testing.T) {
	r := labwatch(t, nil, "run", "-i", "lwnosuch0")
	assert.Equal(t, 1, r.code)
	assert.Regexp(t, `not found|permission|setcap`, r.stderr)
}

func TestSigtermFlushesSummary(t *testing.T) {
	data, err := os.ReadFile(demo)
	require.NoError(t, err)
	sum := filepath.Join(t.TempDir(), "s.json")
	cmd := exec.Command(binary, "replay", "--progress=never", "--summary", sum, "-")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	// Half the capture, then hold the pipe open: the sensor waits for more.
	_, err = stdin.Write(data[:len(data)/2])
	require.NoError(t, err)
	time.Sleep(500 * time.Millisecond)
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	// The reader is blocked on stdin; closing it lets the loop see the signal.
	time.Sleep(100 * time.Millisecond)
	stdin.Close()
	require.NoError(t, cmd.Wait(), errb.String())
	s := readSummary(t, sum)
	assert.Greater(t, s["packets"].(float64), 0.0)
}

// TestNoPatientValueInAnyOutput runs the demo (full of fictional patients) at debug
// level and scans everything the sensor wrote for every planted name, MRN and
// birth date.
func TestNoPatientValueInAnyOutput(t *testing.T) {
	require.NotEmpty(t, demoTru.Planted)
	// One worker, and two (messages copied and handed over in batches).
	for _, workers := range []string{"1", "2"} {
		dir := t.TempDir()
		alerts, sum := filepath.Join(dir, "alerts.jsonl"), filepath.Join(dir, "summary.json")
		r := labwatch(t, nil, "replay", "--progress=never", "--log-level=debug", "--workers", workers,
			"--alerts", alerts, "--summary", sum, demo)
		require.Equal(t, 0, r.code, r.stderr)
		outputs := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
		for _, f := range []string{alerts, sum} {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			outputs[filepath.Base(f)] = string(b)
		}
		for name, text := range outputs {
			for _, v := range demoTru.Planted {
				if len(v) < 4 {
					continue // too short to be a meaningful identifier
				}
				assert.NotContains(t, text, v, "planted patient value in %s (%s workers)", name, workers)
			}
		}
	}
}

func TestRulesCheckCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	require.NoError(t, os.WriteFile(good, []byte("rules:\n  - id: r1\n    description: d\n    expression: App == \"hl7\"\n    severity: low\n"), 0o600))
	r := labwatch(t, nil, "rules", "check", good)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout+r.stderr, "1 rules OK")

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("rules:\n  - id: r1\n    description: d\n    expression: App ==\n    severity: low\n"), 0o600))
	r = labwatch(t, nil, "rules", "check", bad)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout+r.stderr, "bad.yaml:4")
}

func TestReplayWritesRuleAlerts(t *testing.T) {
	alerts := filepath.Join(t.TempDir(), "alerts.jsonl")
	r := labwatch(t, nil, "replay", "--progress=never", "--alerts", alerts, demo)
	require.Equal(t, 0, r.code, r.stderr)
	b, err := os.ReadFile(alerts)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.NotEmpty(t, lines)
	for _, l := range lines {
		var a map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &a))
		for _, k := range []string{"ts", "type", "severity", "device", "summary", "id", "sensor"} {
			assert.Contains(t, a, k)
		}
	}
}

func TestBaselineSavedShownAndSurvivesDamage(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "baseline.lwb")
	r := labwatch(t, nil, "replay", "--progress=never", "--learn", "2m", "--baseline", base, demo)
	require.Equal(t, 0, r.code, r.stderr)
	info, err := os.Stat(base)
	require.NoError(t, err, "the baseline is saved at exit")
	assert.NotZero(t, info.Size())

	show := labwatch(t, nil, "baseline", "show", base)
	require.Equal(t, 0, show.code, show.stderr)
	assert.Contains(t, show.stdout, "10.40.1.10", "the LIS is listed")
	js := labwatch(t, nil, "baseline", "show", "--json", base)
	require.Equal(t, 0, js.code, js.stderr)
	assert.True(t, json.Valid([]byte(js.stdout)))
	for _, v := range demoTru.Planted {
		if len(v) >= 4 {
			assert.NotContains(t, show.stdout+js.stdout, v)
		}
	}

	// Judging a second replay against the saved baseline works, and a damaged
	// file means a warning and a fresh start, never a crash.
	r = labwatch(t, nil, "replay", "--progress=never", "--baseline", base, demo)
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(base)
	require.NoError(t, err)
	data[len(data)/2] ^= 0xff
	require.NoError(t, os.WriteFile(base, data, 0o600))
	r = labwatch(t, nil, "replay", "--progress=never", "--log-level=warn", "--baseline", base, demo)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "baseline")
}

func TestReplaySendsAlertsToSyslog(t *testing.T) {
	ln, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	got := make(chan string, 100)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, _, err := ln.ReadFrom(buf)
			if err != nil {
				return
			}
			got <- string(buf[:n])
		}
	}()
	cmd := exec.Command(binary, "replay", "--progress=never", "--syslog", "udp://"+ln.LocalAddr().String(),
		"--syslog-format", "rfc5424", demo)
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	select {
	case msg := <-got:
		assert.Regexp(t, `^<\d+>1 `, msg, "an RFC 5424 message")
		assert.Contains(t, msg, "labwatch")
		assert.LessOrEqual(t, len(msg), 2048)
	case <-time.After(10 * time.Second):
		t.Fatal("no syslog message received")
	}
}

// TestRunLiveOnLoopback captures on lo while the test exchanges one HL7 message
// and its ACK over MLLP on 127.0.0.1, then stops the sensor with SIGTERM and reads
// its summary. It needs capture privileges and skips without them.
func TestRunLiveOnLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	sum := filepath.Join(t.TempDir(), "live.json")
	ml, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	metricsAddr := ml.Addr().String()
	ml.Close()
	cmd := exec.Command(binary, "run", "-i", "lo", "--bpf", "tcp port "+strconv.Itoa(port), "--summary", sum,
		"--metrics", metricsAddr)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }()
	time.Sleep(time.Second) // let the capture start
	if cmd.ProcessState != nil || strings.Contains(errb.String(), "permission") {
		t.Skip("no capture privilege: " + errb.String())
	}

	msg := "\x0bMSH|^~\\&|LIS|LAB|ANALYZER|LAB|20260302080000||ORM^O01|CTRL1|P|2.5\rPID|1||MRN-1||TEST^PATIENT\r\x1c\r"
	ack := "\x0bMSH|^~\\&|ANALYZER|LAB|LIS|LAB|20260302080001||ACK^O01|ACK1|P|2.5\rMSA|AA|CTRL1\r\x1c\r"
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		_, _ = c.Read(buf)
		_, _ = c.Write([]byte(ack))
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	_, err = c.Write([]byte(msg))
	require.NoError(t, err)
	buf := make([]byte, 4096)
	_, _ = c.Read(buf)
	c.Close()
	<-done
	time.Sleep(500 * time.Millisecond)

	// The live view and its API on the metrics address.
	for path, want := range map[string]string{"/": "<html", "/api/devices": "127.0.0.1", "/healthz": "ok", "/metrics": "labwatch_capture_packets_total"} {
		resp, err := http.Get("http://" + metricsAddr + path)
		require.NoError(t, err, path)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode, path)
		assert.Contains(t, string(body), want, path)
	}

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), errb.String())
	s := readSummary(t, sum)
	assert.Greater(t, s["packets"].(float64), 4.0)
	hl7 := s["messages"].(map[string]any)["hl7"].(map[string]any)
	assert.EqualValues(t, 1, hl7["ORM^O01"], "found by content on a random port")
	assert.EqualValues(t, 1, hl7["ACK"])
	assert.Contains(t, s["dropped"], "kernel_buffer", "kernel drop counters are reported")
}

// TestRunDropsPrivileges starts a live capture as root with --user nobody and reads
// the process status: it runs as nobody, with no_new_privs and no capabilities.
func TestRunDropsPrivileges(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to test dropping privileges")
	}
	if _, err := user.Lookup("nobody"); err != nil {
		t.Skip("no user nobody")
	}
	cmd := exec.Command(binary, "run", "-i", "lo", "--bpf", "tcp port 9", "--user", "nobody")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	status := waitForUser(t, cmd.Process.Pid, 65534, &errb)
	assertUnprivileged(t, status)
	// Every thread, not only the one /proc/PID/status shows: no_new_privs and
	// capabilities are per thread.
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", cmd.Process.Pid))
	require.NoError(t, err)
	require.NotEmpty(t, tasks)
	for _, task := range tasks {
		b, err := os.ReadFile(task)
		if err != nil {
			continue // the thread ended
		}
		assertUnprivileged(t, string(b))
	}
}

// waitForUser waits until process pid runs as uid and returns its status.
func waitForUser(t *testing.T, pid, uid int, stderr fmt.Stringer) string {
	t.Helper()
	var status string
	for i := 0; i < 50; i++ {
		time.Sleep(100 * time.Millisecond)
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		require.NoError(t, err, stderr.String())
		status = string(b)
		if strings.Contains(status, fmt.Sprintf("Uid:\t%d", uid)) {
			break
		}
	}
	return status
}

// assertUnprivileged checks a /proc status: user nobody, no_new_privs, no
// capability.
func assertUnprivileged(t *testing.T, status string) {
	t.Helper()
	assert.Regexp(t, `(?m)^Uid:\s+65534\s+65534\s+65534\s+65534$`, status, "real, effective, saved and fs uid are nobody")
	assert.Regexp(t, `(?m)^NoNewPrivs:\s+1$`, status)
	assert.Regexp(t, `(?m)^CapEff:\s+0+$`, status, "no capability left")
	assert.Regexp(t, `(?m)^CapPrm:\s+0+$`, status)
}

func TestReplayWritesHTMLReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	r := labwatch(t, nil, "replay", "--progress=never", "--report", out, demo)
	require.Equal(t, 0, r.code, r.stderr)
	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "owner-only")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	page := string(b)
	assert.Contains(t, page, "<html")
	assert.Contains(t, page, "10.40.1.10", "the LIS is in the inventory")
	assert.NotRegexp(t, `(src|href)="https?://`, page, "self-contained: nothing fetched")
	for _, v := range demoTru.Planted {
		if len(v) >= 4 {
			assert.NotContains(t, page, v)
		}
	}
}

// TestAlertChainVerifiesAcrossRestartsAndCatchesEdits replays twice into one alert
// file (the chain continues across the restart), verifies it, then edits one
// alert and deletes another and checks verify names them.
func TestAlertChainVerifiesAcrossRestartsAndCatchesEdits(t *testing.T) {
	dir := t.TempDir()
	alerts := filepath.Join(dir, "alerts.jsonl")
	for i := 0; i < 2; i++ {
		r := labwatch(t, nil, "replay", "--progress=never", "--alerts", alerts, demo)
		require.Equal(t, 0, r.code, r.stderr)
	}
	r := labwatch(t, nil, "verify", alerts)
	require.Equal(t, 0, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout+r.stderr, "chain intact")

	b, err := os.ReadFile(alerts)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Greater(t, len(lines), 4)
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	var last map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &last))
	assert.EqualValues(t, len(lines), last["seq"], "one chain across both runs")
	assert.NotEmpty(t, last["prev_hash"])

	edited := append([]string{}, lines...)
	edited[2] = strings.Replace(edited[2], `"severity":"`, `"severity":"x`, 1)
	require.NoError(t, os.WriteFile(alerts, []byte(strings.Join(edited, "\n")+"\n"), 0o600))
	r = labwatch(t, nil, "verify", alerts)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout+r.stderr, "3", "the edited alert is on line 3")

	deleted := append(append([]string{}, lines[:3]...), lines[4:]...)
	require.NoError(t, os.WriteFile(alerts, []byte(strings.Join(deleted, "\n")+"\n"), 0o600))
	r = labwatch(t, nil, "verify", alerts)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout+r.stderr, "missing")
}

func TestInventoryListsSoftwareVersions(t *testing.T) {
	sum := filepath.Join(t.TempDir(), "s.json")
	r := labwatch(t, nil, "replay", "--progress=never", "--summary", sum, demo)
	require.Equal(t, 0, r.code, r.stderr)
	for _, format := range []string{"table", "csv", "json"} {
		inv := labwatch(t, nil, "inventory", "--format", format, sum)
		require.Equal(t, 0, inv.code, inv.stderr)
		assert.Contains(t, inv.stdout, "10.40.1.10", format)
		if format != "json" {
			assert.Regexp(t, `(hl7|astm) [a-z_]+.*: \S+`, inv.stdout, "software versions listed (%s)", format)
		}
	}
}

// TestEvidencePcapHoldsTheAlertingFlow replays the demo with --evidence: alerts
// name their pcap, the files are owner-only and read back with pcapgo, holding
// packets between the alert's two endpoints.
func TestEvidencePcapHoldsTheAlertingFlow(t *testing.T) {
	dir := t.TempDir()
	evDir := filepath.Join(dir, "evidence")
	alerts := filepath.Join(dir, "alerts.jsonl")
	r := labwatch(t, nil, "replay", "--progress=never", "--alerts", alerts, "--evidence", evDir, demo)
	require.Equal(t, 0, r.code, r.stderr)
	b, err := os.ReadFile(alerts)
	require.NoError(t, err)
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var a struct {
			SrcIP   string         `json:"src_ip"`
			DstIP   string         `json:"dst_ip"`
			Details map[string]any `json:"details"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &a))
		path, _ := a.Details["evidence"].(string)
		if path == "" {
			continue
		}
		info, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
		f, err := os.Open(path)
		require.NoError(t, err)
		rd, err := pcapgo.NewReader(f)
		require.NoError(t, err)
		n, between := 0, 0
		for {
			data, _, err := rd.ReadPacketData()
			if err != nil {
				break
			}
			n++
			pkt := gopacket.NewPacket(data, rd.LinkType(), gopacket.Default)
			if nl := pkt.NetworkLayer(); nl != nil {
				ends := nl.NetworkFlow().Src().String() + " " + nl.NetworkFlow().Dst().String()
				if strings.Contains(ends, a.SrcIP) && strings.Contains(ends, a.DstIP) {
					between++
				}
			}
		}
		f.Close()
		assert.Positive(t, n, "%s holds packets", path)
		assert.Equal(t, n, between, "every packet is of the alerting flow's endpoints")
		checked++
	}
	assert.Positive(t, checked, "some alerts carry evidence")
	info, err := os.Stat(evDir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm())
}

// TestBaselineSaveFailureKeepsOutputs points --baseline where it cannot be
// written (its directory is a file): the run still processes everything and
// writes its alerts and summary, and the exit status names the baseline.
func TestBaselineSaveFailureKeepsOutputs(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(notADir, []byte("x"), 0o600))
	sum := filepath.Join(dir, "s.json")
	r := labwatch(t, nil, "replay", "--progress=never", "--baseline", filepath.Join(notADir, "b.lwb"), "--summary", sum, demo)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "baseline")
	s := readSummary(t, sum)
	assert.EqualValues(t, demoTru.Packets, s["packets"], "everything was processed and the summary written")
}
