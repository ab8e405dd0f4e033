package gen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tsharkPath = "/usr/bin/tshark"

// tshark runs tshark on file and returns its standard output.
func tshark(t *testing.T, file string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tsharkPath, append([]string{"-r", file}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "tshark %v: %s", args, stderr.String())
	for _, line := range strings.Split(stderr.String(), "\n") {
		// tshark warns when run as root; anything else is a problem.
		if line != "" && !strings.Contains(line, "Running as user") {
			t.Errorf("tshark %v: %s", args, line)
		}
	}
	return stdout.String()
}

// TestTsharkReadsTheDemo cross-checks the capture with an independent decoder:
// Wireshark dissects every protocol, finds no bad checksum or malformed packet,
// and its TCP analysis sees the planted impairments.
func TestTsharkReadsTheDemo(t *testing.T) {
	if _, err := os.Stat(tsharkPath); err != nil {
		t.Skip("tshark not installed")
	}
	c := demo(t)
	file := filepath.Join(t.TempDir(), "demo.pcapng")
	require.NoError(t, os.WriteFile(file, c.data, 0o644))

	phs := tshark(t, file, "-q", "-z", "io,phs", "-d", "tcp.port==2575,hl7", "-d", "tcp.port==6661,hl7")
	for _, proto := range []string{"hl7", "tls", "dns", "vlan", "ieee8021ad", "ipv6"} {
		assert.Regexp(t, `(?m)^\s*`+proto+`\s+frames:`, phs, "protocol hierarchy lacks %s", proto)
	}

	bad := tshark(t, file, "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
		"-o", "ip.check_checksum:TRUE", "-Y",
		"tcp.checksum.status==0 || udp.checksum.status==0 || ip.checksum.status==0 || _ws.malformed || _ws.expert.severity==error")
	assert.Empty(t, strings.TrimSpace(bad), "frames with bad checksums or malformed")

	count := func(filter string) int {
		out := strings.TrimSpace(tshark(t, file, "-Y", filter, "-T", "fields", "-e", "frame.number"))
		if out == "" {
			return 0
		}
		return len(strings.Split(out, "\n"))
	}
	assert.Equal(t, c.o.Retransmits, count("tcp.analysis.retransmission"))
	assert.Equal(t, c.o.Reorders, count("tcp.analysis.out_of_order"))
	assert.Positive(t, count("tcp.analysis.lost_segment"))
	assert.Equal(t, c.truth.Messages["tls"]["client_hello"]+c.truth.Damaged["tls"]["client_hello"],
		count("tls.handshake.type==1 && tls.handshake.extensions_server_name"))
	assert.Equal(t, c.o.DNSQueries, count("dns.flags.response==1 && udp.srcport==53"))
}
