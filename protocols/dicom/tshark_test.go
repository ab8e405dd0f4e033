package dicom

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tsharkPDUTypes runs tshark's dicom dissector on a capture and counts the
// PDUs by type name (dicom.pdu.type lists every PDU of a frame).
func tsharkPDUTypes(t *testing.T, path string) map[string]int {
	t.Helper()
	out, err := exec.Command("tshark", "-r", path, "-d", "tcp.port==104,dicom", "-Y", "dicom",
		"-T", "fields", "-e", "dicom.pdu.type").Output()
	require.NoError(t, err)
	counts := map[string]int{}
	for _, line := range strings.Split(string(out), "\n") {
		for _, f := range strings.Split(strings.TrimSpace(line), ",") {
			if f == "" {
				continue
			}
			v, err := strconv.ParseUint(f, 0, 8)
			require.NoError(t, err, f)
			name := "unknown"
			if knownPDU(byte(v)) {
				name = pduNames[v]
			}
			counts[name]++
		}
	}
	return counts
}

// TestAgainstTshark checks that the analyzer counts the same PDUs by type as
// tshark on the synthetic captures and on the public tapirx captures.
func TestAgainstTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed")
	}
	files, _ := filepath.Glob("testdata/pcap/*.pcap")
	corpus, _ := filepath.Glob(filepath.Join(corpusDir, "tapirx__dicom_*.pcap"))
	files = append(files, corpus...)
	require.NotEmpty(t, files)
	for _, f := range files {
		if filepath.Base(f) == "hostile.pcap" {
			continue // tshark stops dissecting the stream at the 4 GiB length
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := os.Stat(f); err != nil {
				t.Skip(err)
			}
			want := tsharkPDUTypes(t, f)
			got := analyzePcap(t, f).TypeCounts()
			assert.Equal(t, want, got)
		})
	}
}
