//go:build linux

package main

import (
	"bytes"
	"fmt"
	"net"
	"os/exec"
	"os/user"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/capture/afpacket/vethtest"
)

// startInNamespace runs labwatch with args inside the pair's namespace A and
// stops it with SIGTERM when the test ends (if the test did not).
func startInNamespace(t *testing.T, p *vethtest.Pair, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", p.A, binary}, args...)...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	time.Sleep(time.Second) // let the capture start
	require.Nil(t, cmd.ProcessState, "labwatch exited early: %s", errb.String())
	return cmd, &errb
}

// stop sends SIGTERM and waits for a clean exit.
func stop(t *testing.T, cmd *exec.Cmd, errb *bytes.Buffer) {
	t.Helper()
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), errb.String())
}

// hl7Conversations opens n MLLP connections from namespace B to a listener in
// A; on each the client sends one order and the server answers with one ACK.
func hl7Conversations(t *testing.T, p *vethtest.Pair, n int) {
	t.Helper()
	const order = "\x0bMSH|^~\\&|LIS|LAB|ANALYZER|LAB|20260302080000||ORM^O01|CTRL%d|P|2.5\rPID|1||MRN-%d||TEST^PATIENT\r\x1c\r"
	const ack = "\x0bMSH|^~\\&|ANALYZER|LAB|LIS|LAB|20260302080001||ACK^O01|ACK%d|P|2.5\rMSA|AA|CTRL%d\r\x1c\r"
	var ln net.Listener
	var err error
	p.In(t, p.A, func() { ln, err = net.Listen("tcp4", p.AddrA+":2575") })
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for i := 0; ; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			_, _ = c.Read(buf)
			_, _ = fmt.Fprintf(c, ack, i, i)
			c.Close()
		}
	}()
	for i := 0; i < n; i++ {
		var c net.Conn
		p.In(t, p.B, func() { c, err = net.Dial("tcp4", p.AddrA+":2575") })
		require.NoError(t, err)
		_, err = fmt.Fprintf(c, order, i, i)
		require.NoError(t, err)
		buf := make([]byte, 4096)
		_, _ = c.Read(buf)
		c.Close()
	}
}

// sendUDP sends n datagrams from namespace B to A's port 9999.
func sendUDP(t *testing.T, p *vethtest.Pair, n int) {
	t.Helper()
	// Unconnected, so that A's "port unreachable" does not fail the next send.
	var c *net.UDPConn
	var err error
	p.In(t, p.B, func() { c, err = net.ListenUDP("udp4", nil) })
	require.NoError(t, err)
	defer c.Close()
	to := &net.UDPAddr{IP: net.ParseIP(p.AddrA), Port: 9999}
	for i := 0; i < n; i++ {
		_, err := c.WriteToUDP([]byte("probe"), to)
		require.NoError(t, err)
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRunFanoutCountsHL7 captures with two AF_PACKET fanout workers (the default
// auto choice on a veth) while 8 HL7 conversations cross the link.
func TestRunFanoutCountsHL7(t *testing.T) {
	p := vethtest.New(t, "rf")
	sum := filepath.Join(t.TempDir(), "s.json")
	cmd, errb := startInNamespace(t, p, "run", "-i", p.IfA, "--workers", "2", "--bpf", "tcp port 2575", "--summary", sum)
	hl7Conversations(t, p, 8)
	time.Sleep(500 * time.Millisecond)
	stop(t, cmd, errb)

	assert.Contains(t, errb.String(), `"capture":"afpacket"`, "auto picks AF_PACKET on Linux")
	s := readSummary(t, sum)
	hl7 := s["messages"].(map[string]any)["hl7"].(map[string]any)
	assert.EqualValues(t, 8, hl7["ORM^O01"])
	assert.EqualValues(t, 8, hl7["ACK"])
	assert.GreaterOrEqual(t, s["packets"].(float64), 8*8.0, "handshake, data, ACKs and FINs of 8 connections")
	assert.EqualValues(t, 8, s["flows"])
	dropped := s["dropped"].(map[string]any)
	assert.Contains(t, dropped, "kernel_buffer", "kernel drop counters are reported")
	assert.EqualValues(t, 0, dropped["kernel_buffer"])
}

// TestRunPcapOnRequest checks that --capture pcap still reads through libpcap
// (with its own sharding over two workers).
func TestRunPcapOnRequest(t *testing.T) {
	p := vethtest.New(t, "rp")
	sum := filepath.Join(t.TempDir(), "s.json")
	cmd, errb := startInNamespace(t, p, "run", "-i", p.IfA, "--capture", "pcap", "--workers", "2", "--bpf", "tcp port 2575", "--summary", sum)
	hl7Conversations(t, p, 4)
	time.Sleep(500 * time.Millisecond)
	stop(t, cmd, errb)
	assert.Contains(t, errb.String(), `"capture":"pcap"`)
	hl7 := readSummary(t, sum)["messages"].(map[string]any)["hl7"].(map[string]any)
	assert.EqualValues(t, 4, hl7["ORM^O01"])
}

// TestRunSurvivesInterfaceOutageEitherCapture deletes the captured interface
// under each capture method (a two-socket fanout group, and libpcap) and creates
// it again: the capture is reopened and packets from both sides of the outage
// are counted.
func TestRunSurvivesInterfaceOutageEitherCapture(t *testing.T) {
	for _, c := range []struct{ capture, workers string }{{"afpacket", "2"}, {"pcap", "1"}} {
		t.Run(c.capture, func(t *testing.T) {
			p := vethtest.New(t, "o"+c.capture[:1])
			sum := filepath.Join(t.TempDir(), "s.json")
			cmd, errb := startInNamespace(t, p, "run", "-i", p.IfA, "--capture", c.capture, "--workers", c.workers,
				"--bpf", "udp port 9999", "--summary", sum)
			sendUDP(t, p, 5)
			time.Sleep(300 * time.Millisecond)

			p.Unlink(t)
			time.Sleep(1500 * time.Millisecond)
			p.Link(t)
			time.Sleep(3 * time.Second)
			sendUDP(t, p, 5)
			time.Sleep(500 * time.Millisecond)
			stop(t, cmd, errb)

			assert.Contains(t, errb.String(), "capture reopened")
			s := readSummary(t, sum)
			assert.EqualValues(t, 10, s["packets"], "packets from before and after the outage: %s", errb.String())
			assert.EqualValues(t, 1, s["dropped"].(map[string]any)["capture_outages"])
		})
	}
}

// TestRunFanoutDropsPrivileges opens a fanout group as root with --user nobody:
// the process then runs as nobody and its workers still read the rings.
func TestRunFanoutDropsPrivileges(t *testing.T) {
	if _, err := user.Lookup("nobody"); err != nil {
		t.Skip("no user nobody")
	}
	p := vethtest.New(t, "rn")
	cmd, errb := startInNamespace(t, p, "run", "-i", p.IfA, "--capture", "afpacket", "--workers", "2",
		"--bpf", "tcp port 2575", "--user", "nobody")
	assertUnprivileged(t, waitForUser(t, cmd.Process.Pid, 65534, errb))
	hl7Conversations(t, p, 4)
	time.Sleep(500 * time.Millisecond)
	stop(t, cmd, errb)
	assert.Contains(t, errb.String(), " 4 flows,", "the workers read packets after the switch")
	assert.Regexp(t, `hl7 messages: .*ORM\^O01=4`, errb.String())
}

// TestRunAutoFallsBackToPcapOnLoopback: AF_PACKET is not used on lo, and the log
// says why.
func TestRunAutoFallsBackToPcapOnLoopback(t *testing.T) {
	cmd := exec.Command(binary, "run", "-i", "lo", "--bpf", "tcp port 9")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	time.Sleep(time.Second)
	if cmd.ProcessState != nil {
		t.Skip("no capture privilege: " + errb.String())
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), errb.String())
	assert.Contains(t, errb.String(), `"capture":"pcap"`)
	assert.Contains(t, errb.String(), "loopback")
}
