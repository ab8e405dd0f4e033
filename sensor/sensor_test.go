package sensor

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/capture/pcapfile"
	"labwatch/output"
	"labwatch/testdata/gen"
)

// generate writes a capture made by the generator and returns its ground truth.
func generate(t *testing.T, o gen.Options, name string) (string, gen.Truth) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	require.NoError(t, err)
	var w io.Writer = f
	var gz *gzip.Writer
	if filepath.Ext(name) == ".gz" {
		gz = gzip.NewWriter(f)
		w = gz
	}
	truth, err := gen.Generate(o, w)
	require.NoError(t, err)
	if gz != nil {
		require.NoError(t, gz.Close())
	}
	require.NoError(t, f.Close())
	return path, truth
}

func mustOpen(t *testing.T, paths ...string) *pcapfile.Reader {
	t.Helper()
	r, err := pcapfile.Open(paths)
	require.NoError(t, err)
	return r
}

// feed sends every packet of r through s, then closes s.
func feed(t *testing.T, s *Sensor, r *pcapfile.Reader) {
	t.Helper()
	r.Each(s.Packet)
	s.AddInputProblems(r.Problems())
	require.NoError(t, s.Close())
}

// run feeds files through a new sensor, closes it and returns it.
func run(t *testing.T, cfg Config, paths ...string) *Sensor {
	t.Helper()
	r := mustOpen(t, paths...)
	defer r.Close()
	s, err := New(cfg, nil)
	require.NoError(t, err)
	feed(t, s, r)
	return s
}

// replay runs files through a sensor and returns its summary.
func replay(t *testing.T, cfg Config, paths ...string) *output.Summary {
	t.Helper()
	return run(t, cfg, paths...).Summary()
}

// clean is the demo mix without impairments that destroy messages, so message
// counts must match the truth exactly.
func clean() gen.Options {
	o := gen.Demo()
	o.Losses = 0
	return o
}

func messagesOf(truth gen.Truth, app string) map[string]uint64 {
	out := map[string]uint64{}
	for k, v := range truth.Messages[app] {
		out[k] = uint64(v)
	}
	return out
}

func TestReplayMatchesGeneratorTruth(t *testing.T) {
	path, truth := generate(t, clean(), "clean.pcapng")
	s := replay(t, DefaultConfig(), path)

	assert.Equal(t, uint64(truth.Packets), s.Packets)
	assert.Equal(t, uint64(truth.Bytes), s.Bytes)
	assert.Equal(t, uint64(truth.Flows), s.Flows)
	assert.Equal(t, truth.Devices, s.Devices)
	for _, app := range []string{"hl7", "astm", "zpl", "dns", "tls"} {
		assert.Equal(t, messagesOf(truth, app), s.Messages[app], "%s messages by type", app)
	}
	assert.Empty(t, s.ParseErrors["astm"], "no ASTM errors on clean traffic")
	assert.Empty(t, s.ParseErrors["hl7"], "no HL7 errors on clean traffic")
	assert.Zero(t, s.TCP.GapBytes)
	assert.NotZero(t, s.TCP.OverlapBytes, "the demo retransmits segments")
}

func TestReplayLinkTypesAndFormats(t *testing.T) {
	for _, c := range []struct {
		name string
		link gen.LinkType
		ng   bool
	}{
		{"ethernet.pcap", gen.LinkEthernet, false},
		{"sll.pcap", gen.LinkSLL, false},
		{"sll2.pcapng", gen.LinkSLL2, true},
		{"raw.pcap.gz", gen.LinkRaw, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := clean()
			o.Link, o.PcapNG = c.link, c.ng
			path, truth := generate(t, o, c.name)
			s := replay(t, DefaultConfig(), path)
			assert.Equal(t, uint64(truth.Packets), s.Packets)
			assert.Equal(t, uint64(truth.Flows), s.Flows)
			assert.Equal(t, truth.Devices, s.Devices)
			assert.Equal(t, messagesOf(truth, "hl7"), s.Messages["hl7"])
		})
	}
}

func TestReplayWithLossesReportsGaps(t *testing.T) {
	path, truth := generate(t, gen.Demo(), "demo.pcapng")
	s := replay(t, DefaultConfig(), path)
	assert.Equal(t, uint64(truth.Packets), s.Packets)
	assert.NotZero(t, s.TCP.Gaps, "lost segments are reported as gaps")
	for _, app := range []string{"hl7", "astm"} {
		var got, want uint64
		for _, v := range s.Messages[app] {
			got += v
		}
		for _, v := range truth.Messages[app] {
			want += uint64(v)
		}
		assert.LessOrEqual(t, got, want)
		assert.GreaterOrEqual(t, got+uint64(2*gen.Demo().Losses), want, "a lost segment costs at most a couple of %s messages", app)
	}
}

func TestReplayMergesFilesInTimeOrder(t *testing.T) {
	a := clean()
	b := clean()
	b.Seed++
	pa, ta := generate(t, a, "a.pcap")
	pb, tb := generate(t, b, "b.pcap")
	s := replay(t, DefaultConfig(), pa, pb)
	assert.Equal(t, uint64(ta.Packets+tb.Packets), s.Packets)
}

func TestFlowTableCapInPipeline(t *testing.T) {
	path, truth := generate(t, clean(), "cap.pcap")
	cfg := DefaultConfig()
	cfg.Capture.Flows.Max = 5
	s := replay(t, cfg, path)
	assert.Equal(t, uint64(truth.Packets), s.Packets)
	assert.NotZero(t, s.Dropped["flows_evicted"])
}

func TestWorkersGiveTheSameCounts(t *testing.T) {
	path, truth := generate(t, gen.Demo(), "w.pcapng")
	one := replay(t, DefaultConfig(), path)
	for _, n := range []int{2, 3} {
		cfg := DefaultConfig()
		cfg.Workers = n
		s := replay(t, cfg, path)
		assert.Equal(t, uint64(truth.Packets), s.Packets)
		assert.Equal(t, one.Flows, s.Flows, "%d workers", n)
		assert.Equal(t, one.Devices, s.Devices)
		assert.Equal(t, one.Messages, s.Messages, "%d workers", n)
		assert.Equal(t, one.TCP, s.TCP)
		assert.Equal(t, one.Dropped, s.Dropped, "%d workers", n)
		assert.Equal(t, one.Start, s.Start)
		assert.Equal(t, one.End, s.End)
		assert.Equal(t, one.ParseErrors, s.ParseErrors, "%d workers", n)
		assert.Equal(t, one.Alerts, s.Alerts, "%d workers", n)
	}
}
