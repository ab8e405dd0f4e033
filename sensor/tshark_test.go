package sensor

import (
	"bufio"
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tsharkHL7 counts HL7 messages by summary key as Wireshark's HL7 dissector sees
// them, with HL7 decoding forced on the given TCP ports. Out-of-order reassembly is
// switched on: tshark leaves it off by default and then misses messages whose
// segments were reordered on the wire.
func tsharkHL7(t *testing.T, path string, ports ...string) map[string]uint64 {
	t.Helper()
	args := []string{"-r", path, "-o", "tcp.reassemble_out_of_order:TRUE", "-Y", "hl7", "-T", "fields", "-e", "hl7.message.type", "-e", "hl7.event.type"}
	for _, p := range ports {
		args = append(args, "-d", "tcp.port=="+p+",hl7")
	}
	out, err := exec.Command("tshark", args...).Output()
	require.NoError(t, err)
	counts := map[string]uint64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		types := strings.Split(cols[0], ",")
		var events []string
		if len(cols) > 1 {
			events = strings.Split(cols[1], ",")
		}
		for i, typ := range types {
			key := typ
			if typ != "ACK" && i < len(events) {
				key = typ + "^" + events[i]
			}
			counts[key]++
		}
	}
	return counts
}

func needTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark not installed")
	}
}

// TestHL7CountsAgreeWithTshark checks our HL7 message counts by type against
// Wireshark's dissector on the public sample captures and on a generated capture.
func TestHL7CountsAgreeWithTshark(t *testing.T) {
	needTshark(t)
	corpus, _ := filepath.Glob("../../shared/corpus/pcap/*hl7*.pcap")
	if len(corpus) == 0 {
		t.Log("corpus captures absent: checking the generated capture only")
	}
	for _, path := range corpus {
		t.Run(filepath.Base(path), func(t *testing.T) {
			want := tsharkHL7(t, path, "6661", "2575")
			require.NotEmpty(t, want)
			got := replay(t, DefaultConfig(), path).Messages["hl7"]
			assert.Equal(t, want, got)
		})
	}
	t.Run("generated", func(t *testing.T) {
		path, _ := generate(t, clean(), "tshark.pcap")
		want := tsharkHL7(t, path, "2575", "6661")
		got := replay(t, DefaultConfig(), path).Messages["hl7"]
		assert.Equal(t, want, got)
	})
}

// TestDICOMCountsAgreeWithTshark compares DICOM PDU counts by type with
// Wireshark's DICOM dissector on the public sample captures.
func TestDICOMCountsAgreeWithTshark(t *testing.T) {
	needTshark(t)
	corpus, _ := filepath.Glob("../../shared/corpus/pcap/*dicom*.pcap")
	if len(corpus) == 0 {
		t.Skip("corpus captures absent")
	}
	names := map[string]string{
		"0x01": "A-ASSOCIATE-RQ", "0x02": "A-ASSOCIATE-AC", "0x03": "A-ASSOCIATE-RJ",
		"0x04": "P-DATA-TF", "0x05": "A-RELEASE-RQ", "0x06": "A-RELEASE-RP", "0x07": "A-ABORT",
	}
	for _, path := range corpus {
		t.Run(filepath.Base(path), func(t *testing.T) {
			out, err := exec.Command("tshark", "-r", path, "-d", "tcp.port==104,dicom", "-Y", "dicom",
				"-T", "fields", "-e", "dicom.pdu.type").Output()
			require.NoError(t, err)
			want := map[string]uint64{}
			for _, f := range strings.Fields(strings.ReplaceAll(string(out), ",", " ")) {
				want[names[f]]++
			}
			require.NotEmpty(t, want)
			assert.Equal(t, want, replay(t, DefaultConfig(), path).Messages["dicom"])
		})
	}
}
