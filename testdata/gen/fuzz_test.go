package gen

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fuzzOptions turns fuzz bytes into a small capture description, so every
// input generates in milliseconds.
func fuzzOptions(seed uint64, knobs []byte) Options {
	at := func(i int, n byte) int {
		if i >= len(knobs) || n == 0 {
			return 0
		}
		return int(knobs[i] % n)
	}
	links := []LinkType{LinkEthernet, LinkSLL, LinkSLL2, LinkRaw}
	return Options{
		Seed:            seed,
		Link:            links[at(0, 4)],
		PcapNG:          at(1, 2) == 1,
		KeepPayload:     true,
		HL7Conns:        at(2, 4),
		HL7MsgsPerConn:  1 + at(3, 4),
		ASTMSessions:    at(4, 6),
		ZPLJobs:         at(5, 3),
		TLSConns:        at(6, 3),
		DNSQueries:      at(7, 4),
		Retransmits:     at(8, 4),
		Reorders:        at(9, 4),
		Losses:          at(10, 4),
		VLAN:            at(11, 3),
		QinQ:            at(12, 2),
		Fragments:       at(13, 3),
		IPv6Flows:       at(14, 3),
		ConcurrentFlows: 1 + at(15, 6),
		Analyzers:       1 + at(16, 12),
		FlowGap:         time.Duration(1+at(17, 50)) * time.Millisecond,
		ThinkTime:       time.Duration(1+at(18, 200)) * 10 * time.Millisecond,
	}
}

// FuzzGenerate checks, for any small option set, that generation succeeds, the
// capture reads back packet for packet, checksums hold and every TCP
// direction reassembles to exactly the truth's payload outside its losses.
func FuzzGenerate(f *testing.F) {
	f.Add(uint64(1), []byte{0, 0, 2, 2, 3, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 3, 8, 10, 50})
	f.Add(uint64(7), []byte{3, 1, 3, 3, 5, 2, 2, 3, 3, 3, 3, 2, 1, 2, 2, 5, 11, 0, 0})
	f.Add(uint64(20260302), []byte{1, 0, 1, 0, 0, 0, 2, 0, 0, 2, 0})
	f.Add(uint64(0), []byte{})
	f.Fuzz(func(t *testing.T, seed uint64, knobs []byte) {
		o := fuzzOptions(seed, knobs)
		data, truth, err := Capture(o)
		require.NoError(t, err)
		frames, lt := readFrames(t, data)
		require.Len(t, frames, truth.Packets)
		if len(frames) == 0 {
			return
		}
		segs, st := decodeCapture(t, frames, lt)
		require.Zero(t, st.badIPChecksums+st.badTCPChecksums+st.badUDPChecksums)
		checkStreams(t, segs, truth)
	})
}
