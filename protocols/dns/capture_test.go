package dns

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/internal/prototest"
	"labwatch/testdata/gen"
)

const demoPcap = "../../testdata/pcap/demo.pcapng"

// replayDemo runs every DNS datagram of the bundled demo capture through one
// analyzer per client port, as the flow table would.
func replayDemo(t *testing.T) *prototest.Recorder {
	grams := udpPayloads(t, demoPcap, 53)
	if len(grams) == 0 {
		t.Skip("demo capture absent")
	}
	r := &prototest.Recorder{}
	flows := map[uint16]*DatagramAnalyzer{}
	for _, g := range grams {
		a := flows[g.client]
		if a == nil {
			a = NewDatagramAnalyzer(testFlow, r, nil)
			flows[g.client] = a
		}
		a.Datagram(g.dir, g.payload, g.ts)
	}
	return r
}

// TestDemoCapture checks the demo capture's DNS against the generator's truth
// and against a golden summary.
func TestDemoCapture(t *testing.T) {
	r := replayDemo(t)
	assert.Empty(t, r.Anoms)
	byType := map[string]int{}
	for _, m := range r.Msgs {
		byType[m.Type]++
	}
	_, truth, err := gen.Capture(gen.Demo())
	require.NoError(t, err)
	assert.Equal(t, truth.Messages["dns"], byType)

	type row struct {
		Type, QName, QType, Rcode, Answer string
		Counts                            map[string]int
	}
	var got []row
	for _, m := range r.Msgs {
		got = append(got, row{m.Type, m.Attrs["qname"], m.Attrs["qtype"], m.Attrs["rcode"], m.Attrs["answer"], m.Counts})
	}
	want := prototest.Golden(t, filepath.Join("testdata", "golden", "demo.json"), got)
	assert.Equal(t, want, got)
}

// TestAgreesWithTshark compares, message by message, our reading of the demo
// capture's DNS with tshark's dissector.
func TestAgreesWithTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed")
	}
	out, err := exec.Command("tshark", "-r", demoPcap, "-Y", "udp.port==53", "-T", "fields", "-E", "separator=/t",
		"-e", "dns.id", "-e", "dns.flags.response", "-e", "dns.qry.name", "-e", "dns.qry.type",
		"-e", "dns.flags.rcode", "-e", "dns.count.answers", "-e", "dns.a").Output()
	require.NoError(t, err)
	r := replayDemo(t)
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	require.Len(t, r.Msgs, len(lines))
	for i, ln := range lines {
		f := strings.Split(ln, "\t")
		require.Len(t, f, 7, ln)
		m := r.Msgs[i]
		id, err := strconv.ParseUint(strings.TrimPrefix(f[0], "0x"), 16, 16)
		require.NoError(t, err)
		assert.Equal(t, strconv.Itoa(int(id)), m.ControlID)
		assert.Equal(t, f[1] == "1", m.Type == "response")
		assert.Equal(t, f[2], m.Attrs["qname"])
		assert.Equal(t, "A", m.Attrs["qtype"]) // f[3] is 1
		assert.Equal(t, "1", f[3])
		if m.Type == "response" {
			assert.Equal(t, f[4], fmt.Sprint(rcodeIndex(m.Attrs["rcode"])))
			first, _, _ := strings.Cut(f[6], ",")
			assert.Equal(t, first, m.Attrs["answer"])
		}
		assert.Equal(t, f[5], strconv.Itoa(m.Counts["answers"]))
	}
}

func rcodeIndex(name string) int {
	for i, n := range rcodeNames {
		if n == name {
			return i
		}
	}
	return -1
}
