package gen

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golden and the bundled ../pcap/demo.pcapng")

const (
	goldenDemo  = "testdata/golden/demo.json"
	bundledDemo = "../pcap/demo.pcapng"
)

// bundledOptions are the options of the capture bundled as demo.pcapng.
func bundledOptions() Options {
	o := Demo()
	o.PcapNG = true
	return o
}

// demoRun is one Demo generation with payloads kept, shared by the tests that
// only read it.
var demoRun = sync.OnceValues(func() (capture, error) {
	o := bundledOptions()
	o.KeepPayload = true
	data, truth, err := Capture(o)
	return capture{o: o, data: data, truth: truth}, err
})

type capture struct {
	o     Options
	data  []byte
	truth Truth
}

func demo(t testing.TB) capture {
	t.Helper()
	c, err := demoRun()
	require.NoError(t, err)
	return c
}

func generate(t testing.TB, o Options) ([]byte, Truth) {
	t.Helper()
	data, truth, err := Capture(o)
	require.NoError(t, err)
	return data, truth
}

func TestGenerateIsDeterministic(t *testing.T) {
	withLink := func(l LinkType, ng bool) Options {
		o := Demo()
		o.Link, o.PcapNG = l, ng
		return o
	}
	for _, tc := range []struct {
		name string
		o    Options
	}{
		{"ethernet pcap", withLink(LinkEthernet, false)},
		{"ethernet pcapng", withLink(LinkEthernet, true)},
		{"sll2 pcap", withLink(LinkSLL2, false)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, ta := generate(t, tc.o)
			b, tb := generate(t, tc.o)
			require.True(t, bytes.Equal(a, b), "two runs with the same options differ")
			require.Equal(t, ta, tb)

			other := tc.o
			other.Seed++
			c, _ := generate(t, other)
			require.False(t, bytes.Equal(a, c), "another seed gives the same capture")
		})
	}
}

func TestKeepPayloadDoesNotChangeTheCapture(t *testing.T) {
	c := demo(t)
	plain, _ := generate(t, bundledOptions())
	require.True(t, bytes.Equal(c.data, plain))
}

func TestCaptureReadsBack(t *testing.T) {
	for _, link := range []LinkType{LinkEthernet, LinkSLL, LinkSLL2, LinkRaw} {
		for _, ng := range []bool{false, true} {
			name := string(link) + map[bool]string{false: " pcap", true: " pcapng"}[ng]
			t.Run(name, func(t *testing.T) {
				o := Demo()
				o.Link, o.PcapNG = link, ng
				data, truth := generate(t, o)
				frames, lt := readFrames(t, data)
				require.Equal(t, link.PcapLinkType(), lt)
				require.Len(t, frames, truth.Packets)
				assert.Equal(t, int64(len(data)), truth.FileBytes)
				sum := 0
				for i, f := range frames {
					sum += len(f.data)
					require.Equal(t, f.ci.Length, len(f.data), "frame %d truncated", i+1)
					if i > 0 {
						require.False(t, f.ci.Timestamp.Before(frames[i-1].ci.Timestamp), "frame %d goes back in time", i+1)
					}
				}
				assert.Equal(t, truth.Bytes, sum)
				assert.True(t, frames[0].ci.Timestamp.Equal(truth.First))
				assert.True(t, frames[len(frames)-1].ci.Timestamp.Equal(truth.Last))
				assert.True(t, truth.First.Equal(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)))
			})
		}
	}
}

func TestOptionsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"unknown link", func(o *Options) { o.Link = "token-ring" }, "unknown link type"},
		{"negative count", func(o *Options) { o.HL7Conns = -1 }, "HL7Conns"},
		{"huge count", func(o *Options) { o.Losses = maxCountPerKind + 1 }, "Losses"},
		{"negative messages", func(o *Options) { o.HL7MsgsPerConn = -2 }, "HL7MsgsPerConn"},
		{"too many analyzers", func(o *Options) { o.Analyzers = maxAnalyzers + 1 }, "Analyzers"},
		{"negative concurrency", func(o *Options) { o.ConcurrentFlows = -1 }, "ConcurrentFlows"},
		{"negative pacing", func(o *Options) { o.ThinkTime = -time.Second }, "must not be negative"},
		{"target without traffic", func(o *Options) { *o = Options{TargetPackets: 10} }, "needs some traffic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := Demo()
			tc.edit(&o)
			_, _, err := Capture(o)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "gen: "), err.Error())
		})
	}
}

func TestEmptyOptionsWriteAnEmptyCapture(t *testing.T) {
	data, truth := generate(t, Options{})
	frames, _ := readFrames(t, data)
	assert.Empty(t, frames)
	assert.Zero(t, truth.Packets)
}

func TestProfiles(t *testing.T) {
	d, err := Profile("demo")
	require.NoError(t, err)
	assert.Equal(t, Demo(), d)
	b, err := Profile("bench")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, b.TargetPackets, 2_000_000)
	assert.GreaterOrEqual(t, b.ConcurrentFlows, 2000)
	_, err = Profile("huge")
	assert.ErrorContains(t, err, "unknown profile")
}

// TestDemoGolden pins the demo's counts; -update rewrites them and the bundled
// capture.
func TestDemoGolden(t *testing.T) {
	c := demo(t)
	got, err := json.MarshalIndent(c.truth.Summary(), "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(goldenDemo), 0o755))
		require.NoError(t, os.WriteFile(goldenDemo, got, 0o644))
		require.NoError(t, os.WriteFile(bundledDemo, c.data, 0o644))
	}
	want, err := os.ReadFile(goldenDemo)
	require.NoError(t, err, "run go test ./testdata/gen -run TestDemoGolden -update")
	var w, g Summary
	require.NoError(t, json.Unmarshal(want, &w))
	require.NoError(t, json.Unmarshal(got, &g))
	assert.Equal(t, w, g, "demo counts changed; if intended, rerun with -update")
}

// TestBundledDemoIsCurrent fails when the generator changed but the bundled
// capture was not regenerated.
func TestBundledDemoIsCurrent(t *testing.T) {
	bundled, err := os.ReadFile(bundledDemo)
	require.NoError(t, err, "run go test ./testdata/gen -run TestDemoGolden -update")
	require.True(t, bytes.Equal(demo(t).data, bundled),
		"testdata/pcap/demo.pcapng is stale: go test ./testdata/gen -run TestDemoGolden -update")
	assert.Less(t, len(bundled), 1<<20, "the bundled capture should stay under 1 MiB")
}

func TestBenchProfileIsDenseAndFast(t *testing.T) {
	o := Bench()
	o.TargetPackets = 50_000
	start := time.Now()
	truth, err := Generate(o, discard{})
	elapsed := time.Since(start)
	require.NoError(t, err)
	t.Logf("%d packets, %d bytes (%.0f per packet), %d flows, %d concurrent, in %v",
		truth.Packets, truth.Bytes, float64(truth.Bytes)/float64(truth.Packets), truth.Flows, truth.MaxConcurrent, elapsed)
	assert.GreaterOrEqual(t, truth.Packets, o.TargetPackets)
	// Open flows finish their exchange and close: a few packets each.
	assert.Less(t, truth.Packets, o.TargetPackets+12*truth.MaxConcurrent, "flows should wind down soon after the target")
	assert.GreaterOrEqual(t, truth.MaxConcurrent, 2000)
	assert.Less(t, elapsed, 15*time.Second)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestWriteErrorsAreReported(t *testing.T) {
	for _, ng := range []bool{false, true} {
		o := Demo()
		o.PcapNG = ng
		_, err := Generate(o, failingWriter{after: 1000})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "gen: ")
		assert.ErrorIs(t, err, errDiskFull)
	}
}

var errDiskFull = errors.New("disk full")

// failingWriter fails every write longer than after bytes, as a full disk
// fails the first flush of the buffered output.
type failingWriter struct{ after int }

func (w failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.after {
		return 0, errDiskFull
	}
	return len(p), nil
}
