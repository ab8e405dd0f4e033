package capture

import (
	"bytes"
	"errors"
	"io"
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
// reported add up to the bytes lost.
func TestStreamsMatchGeneratorTruth(t *testing.T) {
	for _, link := range []gen.LinkType{gen.LinkEthernet, gen.LinkSLL2, gen.LinkRaw} {
		t.Run(string(link), func(t *testing.T) {
			o := gen.Demo()
			o.KeepPayload = true
			o.Link = link
			data, truth, err := gen.Capture(o)
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), "demo.pcap")
			require.NoError(t, os.WriteFile(path, data, 0o600))

			rec := newRecorder()
			e := testEngine(rec)
			r, err := pcapfile.Open([]string{path})
			require.NoError(t, err)
			defer r.Close()
			var p pcapfile.Packet
			for {
				err := r.Next(&p)
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(t, err)
				e.Packet(p.Data, p.CI, p.LinkType)
			}
			e.Close()

			byEnds := map[[2]string]*recordedStream{}
			for _, s := range rec.streams {
				byEnds[[2]string{s.flow.Client.String(), s.flow.Server.String()}] = s
			}
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
			assert.NotZero(t, e.Stats().TCPOverlapBytes.Load(), "the demo retransmits")
			assert.NotZero(t, e.DefragStats().Reassembled, "the demo fragments datagrams")
		})
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
