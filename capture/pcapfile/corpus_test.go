package pcapfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusDir holds real public captures (see its SOURCES.md); tests only read it.
const corpusDir = "../../../shared/corpus/pcap"

// corpusFiles lists the corpus captures, or skips when the corpus is absent.
func corpusFiles(t testing.TB) []string {
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.pcap*"))
	if len(paths) == 0 {
		t.Skip("corpus not present at " + corpusDir)
	}
	return paths
}

// TestCorpusMatchesTshark cross-checks packet counts and link types with the
// tshark figures recorded in the corpus's SOURCES.md.
func TestCorpusMatchesTshark(t *testing.T) {
	want := map[string]struct {
		packets int
		link    layers.LinkType
	}{
		"ndpi__hl7.pcap":                             {9, layers.LinkTypeEthernet},
		"tapirx__dicom_assoc_rq_cfind.pcap":          {1, layers.LinkTypeNull},
		"tapirx__dicom_assoc_rq_cfind_bogus_ae.pcap": {1, layers.LinkTypeNull},
		"tapirx__dicom_assoc_rq_cget_bogus_ae.pcap":  {2, layers.LinkTypeNull},
		"tapirx__dicom_assoc_rq_cget_large.pcap":     {2, layers.LinkTypeNull},
		"tapirx__hl7_adt_a01_udi_obx.pcap":           {9, layers.LinkTypeEthernet},
		"tapirx__hl7_adt_a01_udi_prt.pcap":           {9, layers.LinkTypeEthernet},
		"tapirx__hl7_orm_o01.pcap":                   {9, layers.LinkTypeEthernet},
		"tapirx__hl7_oru_r01_two_segments.pcap":      {11, layers.LinkTypeEthernet},
	}
	paths := corpusFiles(t)
	total := 0
	for _, path := range paths {
		w, ok := want[filepath.Base(path)]
		if !ok {
			continue // a file added to the corpus later
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			res := readAll(t, path)
			assert.Empty(t, res.problems)
			assert.Len(t, res.packets, w.packets)
			for _, p := range res.packets {
				assert.Equal(t, w.link, p.Link)
			}
		})
		total += w.packets
	}
	res := readAll(t, paths...)
	assert.Empty(t, res.problems)
	assert.Len(t, res.packets, total)
}

// TestCorpusCutAnywhere cuts each real capture at many places and checks that
// what comes before the cut is delivered and the cut is reported.
func TestCorpusCutAnywhere(t *testing.T) {
	for _, path := range corpusFiles(t) {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		whole := len(readAll(t, path).packets)
		step := max(1, len(data)/700) // every byte of the small files, ~700 cuts of the large
		for cut := pcapFileHeaderLen; cut < len(data); cut += step {
			res, err := readBytes(t, bytes.NewReader(data[:cut]))
			if err != nil { // cut inside the file or first section header
				var oe *OpenError
				require.ErrorAs(t, err, &oe)
				continue
			}
			require.LessOrEqual(t, len(res.packets), whole)
			if len(res.problems) == 0 {
				continue // cut on a record boundary
			}
			require.Len(t, res.problems, 1)
			require.Less(t, res.problems[0].Offset, int64(cut))
		}
	}
}
