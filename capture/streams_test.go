package capture

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/capture/pcapfile"
	"labwatch/protocols/app"
	"labwatch/testdata/gen"
)

// TestStreamsMatchGeneratorTruth replays the demo capture — retransmissions,
// reordering, lost segments, VLAN and QinQ tags, IPv4 fragments, IPv6 — and checks
// every TCP direction byte for byte against what the generator sent: the bytes
// delivered are the bytes sent minus the lost ranges, in order, and the gaps
// reported add up to the bytes lost. With three workers behind a Sharder the
// same must hold, and no flow may be seen by two workers (fragments follow
// their flow).
func TestStreamsMatchGeneratorTruth(t *testing.T) {
	for _, link := range []gen.LinkType{gen.LinkEthernet, gen.LinkSLL2, gen.LinkRaw} {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/%d", link, workers), func(t *testing.T) {
				o := gen.Demo()
				o.KeepPayload = true
				o.Link = link
				data, truth, err := gen.Capture(o)
				require.NoError(t, err)
				path := filepath.Join(t.TempDir(), "demo.pcap")
				require.NoError(t, os.WriteFile(path, data, 0o600))

				var recs []*recorder
				var engines []*Engine
				for range workers {
					recs = append(recs, newRecorder())
					engines = append(engines, testEngine(recs[len(recs)-1]))
				}
				sharder := NewSharder(workers, DefaultConfig().Defrag)
				r, err := pcapfile.Open([]string{path})
				require.NoError(t, err)
				defer r.Close()
				r.Each(func(p *pcapfile.Packet) {
					if w, data, ci, ok := sharder.Route(p.Data, p.CI, p.LinkType); ok {
						engines[w].Packet(data, ci, p.LinkType)
					}
				})
				byEnds := map[[2]string]*recordedStream{}
				var packets, overlap uint64
				var reassembled = sharder.DefragStats().Reassembled
				for i, e := range engines {
					e.Close()
					packets += e.Stats().Packets.Load()
					overlap += e.Stats().TCPOverlapBytes.Load()
					reassembled += e.DefragStats().Reassembled
					for _, s := range recs[i].streams {
						ends := [2]string{s.flow.Client.String(), s.flow.Server.String()}
						_, twice := byEnds[ends]
						require.False(t, twice, "flow %v seen by two workers", ends)
						byEnds[ends] = s
					}
				}
				packets += sharder.Counters().Packets
				assert.Equal(t, uint64(truth.Packets), packets, "every packet counted once")

				var lost int
				for _, st := range truth.Streams {
					got := byEnds[[2]string{st.Client.String(), st.Server.String()}]
					require.NotNil(t, got, "stream %v -> %v", st.Client, st.Server)
					for dir := app.ClientToServer; dir <= app.ServerToClient; dir++ {
						want := withoutLost(st.Dirs[dir])
						assert.True(t, bytes.Equal(want, got.data[dir]), "%v->%v %v: %d bytes delivered, %d expected",
							st.Client, st.Server, dir, len(got.data[dir]), len(want))
						assert.Equal(t, st.Dirs[dir].Lost, got.gaps[dir], "%v->%v %v gap bytes", st.Client, st.Server, dir)
						lost += st.Dirs[dir].Lost
					}
				}
				assert.NotZero(t, lost, "the demo loses segments")
				assert.NotZero(t, overlap, "the demo retransmits")
				assert.NotZero(t, reassembled, "the demo fragments datagrams")
				if workers > 1 {
					assert.Equal(t, reassembled, sharder.DefragStats().Reassembled, "the sharder reassembles every datagram")
				}
			})
		}
	}
}

// withoutLost returns a direction's payload with its lost ranges cut out.
func withoutLost(d gen.DirTruth) []byte {
	var out []byte
	pos := int64(0)
	for _, r := range d.LostRanges {
		out = append(out, d.Payload[pos:r.Offset]...)
		pos = r.Offset + r.Len
	}
	return append(out, d.Payload[pos:]...)
}
