package sensor

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/output"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenView is the part of a summary that golden files pin: counts and chosen
// fields, not timings or runtime figures.
type goldenView struct {
	Packets     uint64                       `json:"packets"`
	Bytes       uint64                       `json:"bytes"`
	Flows       uint64                       `json:"flows"`
	Devices     int                          `json:"devices"`
	Messages    map[string]map[string]uint64 `json:"messages"`
	ParseErrors map[string]map[string]uint64 `json:"parse_errors"`
	Dropped     map[string]uint64            `json:"dropped"`
	Protocols   output.ProtocolSummary       `json:"protocols"`
	TCP         output.TCPSummary            `json:"tcp"`
	Inventory   []goldenDevice               `json:"device_inventory"`
}

type goldenDevice struct {
	IP          string            `json:"ip"`
	MAC         string            `json:"mac,omitempty"`
	PacketsOut  uint64            `json:"packets_out"`
	PacketsIn   uint64            `json:"packets_in"`
	PortsServed map[string]uint64 `json:"ports_served,omitempty"`
	Messages    map[string]uint64 `json:"messages,omitempty"`
	Identities  []string          `json:"identities,omitempty"`
}

func view(s *output.Summary) goldenView {
	v := goldenView{Packets: s.Packets, Bytes: s.Bytes, Flows: s.Flows, Devices: s.Devices,
		Messages: s.Messages, ParseErrors: s.ParseErrors, Dropped: s.Dropped,
		Protocols: s.Protocols, TCP: s.TCP}
	for _, d := range s.Inventory {
		v.Inventory = append(v.Inventory, goldenDevice{IP: d.IP, MAC: d.MAC, PacketsOut: d.PacketsOut,
			PacketsIn: d.PacketsIn, PortsServed: d.PortsServed, Messages: d.Messages, Identities: d.Identities})
	}
	return v
}

// TestGoldenCaptures replays the bundled demo capture and the public sample
// captures, and compares the summary with testdata/golden (rewrite with -update).
func TestGoldenCaptures(t *testing.T) {
	t.Setenv("TZ", "UTC")
	captures := []string{"../testdata/pcap/demo.pcapng"}
	corpus, _ := filepath.Glob("../../shared/corpus/pcap/*.pcap")
	captures = append(captures, corpus...)
	for _, path := range captures {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(view(replay(t, DefaultConfig(), path)), "", "  ")
			require.NoError(t, err)
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, append(got, '\n'), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./sensor -update to create it")
			assert.JSONEq(t, string(want), string(got))
		})
	}
}
