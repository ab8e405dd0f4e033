package sensor

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/internal/heaptest"
	"labwatch/protocols/app"
)

// Hostile traffic through the whole pipeline (issue 9): each test floods one
// cap, checks that the cap's counter rises and memory stays within a bound
// derived from the configured caps, and that a normal HL7 conversation mixed
// in still raises its cleartext_phi alert or has its messages counted.

// forWorkers runs a hostile case with one worker and with two: the
// multi-worker path divides the caps and must hold them the same way.
func forWorkers(t *testing.T, run func(t *testing.T, workers int)) {
	for _, n := range []int{1, 2} {
		t.Run(map[int]string{1: "one_worker", 2: "two_workers"}[n], func(t *testing.T) { run(t, n) })
	}
}

// synAddr returns the i-th attacker end: a distinct address in 172.16.0.0/12
// for each of the first million SYNs.
func synAddr(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{172, byte(16 + i>>16&15), byte(i >> 8), byte(i)}), uint16(1024+i%60000))
}

func TestHostileSYNFlood(t *testing.T) {
	forWorkers(t, func(t *testing.T, workers int) {
		n, maxFlows := 120_000, 20_000 // scaled: 6 times the cap
		if hostileFull() {
			n, maxFlows = 1_000_000, DefaultConfig().Capture.Flows.Max // 10 times the default cap
		}
		cfg := DefaultConfig()
		cfg.Workers = workers
		cfg.Capture.Flows.Max = maxFlows
		before := heaptest.Inuse()
		s, f, log := hostileSensor(t, cfg)
		victim := netip.AddrPortFrom(netip.MustParseAddr("10.40.1.20"), 80)
		c := newConn(f, netip.AddrPortFrom(normalClient, 51515), normalServer)
		start := time.Now()
		var peak int64
		for i := 0; i < n; i++ {
			at := time.Duration(i) * 50 * time.Microsecond // 20,000 SYNs a second
			f.tcp(synAddr(i), victim, uint32(i), 0, flagSYN, nil, at)
			switch i {
			case n / 2:
				// The handshake and the result arrive together, as on a real
				// network; the acknowledgement and teardown come later.
				c.open(at)
				c.write(app.ClientToServer, oru("FLOOD1"), at+time.Millisecond)
			case n/2 + 200:
				c.write(app.ServerToClient, ack("FLOOD1"), at)
			case 3 * n / 4:
				c.close(at)
			}
			if i%10_000 == 0 {
				peak = max(peak, s.captureCounters().FlowsActive)
			}
		}
		elapsed := time.Since(start)
		// Bound: what the caps allow — each flow about 2 KiB (flow record and
		// map slot, identifier, reassembly connection), each device model
		// about 10 KiB (hourly profiles), the worker pool's batches, plus 32 MiB
		// for buffers and the GC's slack.
		bound := uint64(maxFlows)*2<<10 + uint64(cfg.Detect.MaxDevices)*10<<10 + poolBytes(workers) + 32<<20
		heaptest.AssertGrowth(t, before, bound, "SYN flood")
		cs := s.captureCounters()
		require.NoError(t, s.Close())
		sum := s.Summary()

		t.Logf("%d SYNs, %d workers: %v, peak %d flows (cap %d), %d evicted, emergency entered %d",
			n, workers, elapsed, peak, maxFlows, cs.FlowsEvicted, cs.EmergencyEntered)
		assert.LessOrEqual(t, peak, int64(maxFlows), "the flow table stays at its cap")
		assert.GreaterOrEqual(t, cs.FlowsEvicted, uint64(n-maxFlows)/2, "flows past the cap are evicted and counted")
		assert.NotZero(t, cs.EmergencyEntered, "emergency mode entered")
		assert.Equal(t, uint64(n)+1, sum.Flows, "every 4-tuple made a flow (the flood and the conversation)")
		assert.NotZero(t, sum.Dropped["devices_evicted_unproven"], "spoofed sources give way at the inventory's cap")
		assert.LessOrEqual(t, sum.Devices, cfg.Detect.MaxDevices, "the inventory stays at its cap")
		assert.Equal(t, uint64(1), sum.Messages["hl7"]["ORU^R01"], "the result went through the flood")
		requirePHIAlert(t, log, normalClient, normalServer)
	})
}

// shortFlowClient returns the i-th client of the short-flow storm: a distinct
// trusted address for each.
func shortFlowClient(i int) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(64 + i>>16&63), byte(i >> 8), byte(i)}), uint16(30000+i%30000))
}

func TestHostileShortFlows(t *testing.T) {
	forWorkers(t, func(t *testing.T, workers int) {
		n, maxFlows := 60_000, 10_000 // scaled: six times the flow cap, 30 times the device cap
		if hostileFull() {
			n = 1_000_000
		}
		cfg := DefaultConfig()
		cfg.Workers = workers
		cfg.Capture.Flows.Max = maxFlows
		cfg.Detect.MaxDevices = 2_000
		before := heaptest.Inuse()
		s, f, log := hostileSensor(t, cfg)
		// Two servers: one answers TCP on 200 ports (past max_ports_per_device),
		// one answers UDP; every client is new (past max_devices and
		// max_peers_per_device).
		tcpServer := netip.MustParseAddr("10.40.1.30")
		udpServer := netip.MustParseAddr("10.40.1.31")
		hello, ok := []byte("HELLO\r\n"), []byte("OK\r\n")
		// The TCP server is a known device before the storm (it opened a flow),
		// so its peer and service tables are the ones that reach their caps.
		f.udp(netip.AddrPortFrom(tcpServer, 40000), netip.AddrPortFrom(udpServer, 9999), hello, 0)
		start := time.Now()
		var peak int64
		for i := 0; i < n; i++ {
			at := time.Millisecond + time.Duration(i)*40*time.Microsecond // 25,000 flows a second of each kind
			c := newConn(f, shortFlowClient(i), netip.AddrPortFrom(tcpServer, uint16(7000+i%200)))
			c.open(at)
			c.write(app.ClientToServer, hello, at+300*time.Microsecond)
			c.write(app.ServerToClient, ok, at+400*time.Microsecond)
			c.close(at + 500*time.Microsecond)
			u := netip.AddrPortFrom(udpServer, 9999)
			f.udp(shortFlowClient(i+n), u, hello, at+10*time.Microsecond)
			f.udp(u, shortFlowClient(i+n), ok, at+20*time.Microsecond)
			if i == n/2 {
				hl7Exchange(f, netip.AddrPortFrom(normalClient, 51515), normalServer, "SHORT1", at)
			}
			if i%5_000 == 0 {
				peak = max(peak, s.captureCounters().FlowsActive)
			}
		}
		elapsed := time.Since(start)
		// Bound: flows at their cap (about 2 KiB each), device models at
		// theirs (about 10 KiB each), two servers' peer tables (512 peers of
		// about 100 bytes), plus 32 MiB for buffers and the GC's slack.
		bound := uint64(maxFlows)*2<<10 + uint64(cfg.Detect.MaxDevices)*10<<10 + poolBytes(workers) + 32<<20
		heaptest.AssertGrowth(t, before, bound, "short flows")
		cs := s.captureCounters()
		require.NoError(t, s.Close())
		sum := s.Summary()

		t.Logf("%d TCP and %d UDP flows (%d packets), %d workers: %v, peak %d flows, %d evicted, devices %d, dropped %v",
			n, n, cs.Packets, workers, elapsed, peak, cs.FlowsEvicted, sum.Devices, sum.Dropped)
		assert.Equal(t, uint64(2*n+2), sum.Flows, "flows_created counts every flow")
		assert.LessOrEqual(t, peak, int64(maxFlows), "the flow table stays at its cap")
		assert.NotZero(t, cs.EmergencyEntered, "the storm puts the table in emergency mode")
		assert.LessOrEqual(t, sum.Devices, cfg.Detect.MaxDevices, "the inventory stays at its cap")
		assert.NotZero(t, sum.Dropped["devices_over_cap"], "devices past the cap are counted")
		assert.NotZero(t, sum.Dropped["detect_peers_over_cap"], "peers past the cap are counted")
		assert.NotZero(t, sum.Dropped["detect_services_over_cap"], "services past the cap are counted")
		assert.Equal(t, uint64(1), sum.Messages["hl7"]["ORU^R01"])
		requirePHIAlert(t, log, normalClient, normalServer)
	})
}

func TestHostileEndlessStreams(t *testing.T) {
	forWorkers(t, func(t *testing.T, workers int) { endlessStreams(t, workers) })
}

func endlessStreams(t *testing.T, workers int) {
	cfg := DefaultConfig()
	cfg.Workers = workers
	// Six times max_unconfirmed_bytes, twelve times max_message_bytes, 1,500
	// times the scanner's max_bytes_per_flow.
	size := 96 << 20
	hl7cfg := cfg.Protocols.HL7
	before := heaptest.Inuse()
	s, f, log := hostileSensor(t, cfg)
	random := noise(256<<10, 1)
	// HL7-looking: a header, then fields that never end a segment.
	header := []byte("MSH|^~\\&|COBAS|LAB|LIS|HOSP|20260302080000||ORU^R01|E1|P|2.5.1|")
	fields := []byte(strings.Repeat("OBX|1|TX|NOTE||ABCDEFGHIJ|", 10_000))

	server := func(port uint16) netip.AddrPort { return netip.AddrPortFrom(normalServer.Addr(), port) }
	cli := func(port uint16) netip.AddrPort { return netip.AddrPortFrom(netip.MustParseAddr("10.40.2.66"), port) }
	start := time.Now()
	at := time.Duration(0)
	// 1. Random bytes to the HL7 port: never a message.
	c := newConn(f, cli(40001), server(2575))
	c.open(at)
	at = c.stream(app.ClientToServer, random, size, at+time.Millisecond)
	// 2. A well-formed raw message (the flow is HL7), then a raw header
	// followed by a segment that never ends.
	c = newConn(f, cli(40002), server(2575))
	c.open(at)
	good := oru("RAW1")
	c.write(app.ClientToServer, good[1:len(good)-2], at)
	c.write(app.ClientToServer, header, at)
	at = c.stream(app.ClientToServer, fields, size, at+time.Millisecond)
	// 3. Random bytes to a port no analyzer claims: the clear-text scanner.
	c = newConn(f, cli(40003), server(7777))
	c.open(at)
	at = c.stream(app.ClientToServer, random, size, at+time.Millisecond)
	// The normal conversation after them, the endless ones still open.
	hl7Exchange(f, netip.AddrPortFrom(normalClient, 51515), normalServer, "ENDLESS1", at+time.Millisecond)
	elapsed := time.Since(start)
	// Bound: the HL7 analyzer holds at most max_message_bytes per direction
	// (append may round the buffer up by a quarter), the scanner three times
	// carry_bytes, the identifier probe_bytes; 16 MiB for the rest and the GC.
	bound := uint64(hl7cfg.MaxMessageBytes*5/4) + poolBytes(workers) + 16<<20
	heaptest.AssertGrowth(t, before, bound, "endless streams")
	require.NoError(t, s.Close())
	sum := s.Summary()
	assert.Greater(t, sum.Bytes, uint64(3*size), "every byte went through the pipeline")

	t.Logf("3 endless streams of %d MiB, %d workers: %v, parse errors %v", size>>20, workers, elapsed, sum.ParseErrors)
	assert.Equal(t, uint64(1), sum.ParseErrors["hl7"]["gave_up"], "random bytes on the HL7 port: the flow is given up at max_unconfirmed_bytes")
	assert.Equal(t, uint64(1), sum.ParseErrors["hl7"]["msg_too_large"], "the endless segment is cut at max_message_bytes")
	assert.Equal(t, uint64(1), sum.ParseErrors["cleartext"]["scan_limit"], "the scanner stops at max_bytes_per_flow")
	assert.Equal(t, uint64(3), sum.Messages["hl7"]["ORU^R01"], "the raw message, the cut one's head and the normal result are parsed")
	requirePHIAlert(t, log, normalClient, normalServer)
}

func TestHostileHugeHL7Segment(t *testing.T) {
	forWorkers(t, func(t *testing.T, workers int) {
		cfg := DefaultConfig()
		cfg.Workers = workers
		maxMsg := cfg.Protocols.HL7.MaxMessageBytes
		before := heaptest.Inuse()
		s, f, log := hostileSensor(t, cfg)
		// MLLP start block, a header, and one 100 MB segment with no end:
		// first on a connection that never carried a message, then on one
		// that did (a confirmed HL7 flow).
		head := []byte("\x0bMSH|^~\\&|COBAS|LAB|LIS|HOSP|20260302080000||ORU^R01|BIG1|P|2.5.1\rOBX|1|ED|PDF||")
		body := []byte(strings.Repeat("QUJDREVGR0g=", 4096))
		attacker := netip.MustParseAddr("10.40.2.66")
		fresh := newConn(f, netip.AddrPortFrom(attacker, 40010), normalServer)
		fresh.open(0)
		fresh.write(app.ClientToServer, head, time.Millisecond)
		start := time.Now()
		at := fresh.stream(app.ClientToServer, body, 100<<20, 2*time.Millisecond)
		confirmed := newConn(f, netip.AddrPortFrom(attacker, 40011), normalServer)
		confirmed.open(at)
		confirmed.write(app.ClientToServer, oru("GOOD1"), at)
		confirmed.write(app.ClientToServer, head, at)
		at = confirmed.stream(app.ClientToServer, body, 100<<20, at+time.Millisecond)
		elapsed := time.Since(start)
		// Bound: one message buffer at max_message_bytes (8 MiB, rounded up by
		// append) for the confirmed flow, the worker pool's batches, 16 MiB for
		// the rest — far below the 200 MB sent.
		heaptest.AssertGrowth(t, before, uint64(maxMsg*5/4)+poolBytes(workers)+16<<20, "two 100 MB segments")
		fresh.close(at)
		confirmed.close(at)
		// The next well-formed message comes on a new connection.
		hl7Exchange(f, netip.AddrPortFrom(normalClient, 51515), normalServer, "AFTER1", at+time.Millisecond)
		require.NoError(t, s.Close())
		sum := s.Summary()
		assert.Greater(t, sum.Bytes, uint64(200<<20), "every byte went through the pipeline")

		t.Logf("two 100 MB segments, %d workers: %v, parse errors %v, messages %v", workers, elapsed, sum.ParseErrors, sum.Messages)
		assert.Equal(t, uint64(1), sum.ParseErrors["hl7"]["gave_up"], "the unconfirmed flow is given up at max_unconfirmed_bytes")
		assert.Equal(t, uint64(1), sum.ParseErrors["hl7"]["msg_too_large"], "the confirmed flow's segment is cut at max_message_bytes")
		assert.Equal(t, uint64(3), sum.Messages["hl7"]["ORU^R01"], "the message before the segment, the cut one's head, and the next one are parsed")
		requirePHIAlert(t, log, normalClient, normalServer)
	})
}

func TestHostileOverlapsHidingHL7(t *testing.T) {
	forWorkers(t, func(t *testing.T, workers int) {
		cfg := DefaultConfig()
		cfg.Workers = workers
		s, f, log := hostileSensor(t, cfg)
		msg := oru("HIDDEN1")
		msg = append(msg[:len(msg)-2:len(msg)-2], []byte(strings.Repeat("NTE|1||padding to cross segments\r", 120)+"\x1c\r")...)
		const seg = 1000
		attacker := netip.MustParseAddr("10.40.2.77")
		// In order, each segment first as garbage, then as itself: delivered
		// bytes are never replaced, so the garbage is what the sensor reads.
		c := newConn(f, netip.AddrPortFrom(attacker, 40020), normalServer)
		c.open(0)
		for off := 0; off < len(msg); off += seg {
			part := msg[off:min(off+seg, len(msg))]
			c.segment(app.ClientToServer, uint32(off), noise(len(part), byte(off)), time.Millisecond)
			c.segment(app.ClientToServer, uint32(off), part, time.Millisecond)
		}
		c.seq[app.ClientToServer] += uint32(len(msg))
		c.close(2 * time.Millisecond)
		// Out of order: every segment but the first, itself and then garbage
		// (queued bytes are replaced by a later copy), then the first.
		c = newConn(f, netip.AddrPortFrom(attacker, 40021), normalServer)
		c.open(3 * time.Millisecond)
		for off := seg; off < len(msg); off += seg {
			part := msg[off:min(off+seg, len(msg))]
			c.segment(app.ClientToServer, uint32(off), part, 4*time.Millisecond)
			c.segment(app.ClientToServer, uint32(off), noise(len(part), byte(off)), 4*time.Millisecond)
		}
		c.segment(app.ClientToServer, 0, msg[:seg], 4*time.Millisecond)
		c.seq[app.ClientToServer] += uint32(len(msg))
		c.close(5 * time.Millisecond)
		// Then 32 MiB in order, every segment sent twice with different bytes:
		// nothing is buffered for them.
		before := heaptest.Inuse()
		bulk := newConn(f, netip.AddrPortFrom(attacker, 40022), normalServer)
		bulk.open(6 * time.Millisecond)
		first, second := noise(256<<10, 5), noise(256<<10, 6)
		const bulkSize = 32 << 20
		for off := 0; off < bulkSize; off += mss {
			i := off % (len(first) - mss)
			bulk.segment(app.ClientToServer, 0, first[i:i+mss], 7*time.Millisecond)
			bulk.segment(app.ClientToServer, 0, second[i:i+mss], 7*time.Millisecond)
			bulk.seq[app.ClientToServer] += mss
		}
		// Bound: the pool's batches and 16 MiB for the GC; the 32 MiB sent
		// twice are not held.
		heaptest.AssertGrowth(t, before, poolBytes(workers)+16<<20, "overlapping retransmissions")
		hl7Exchange(f, netip.AddrPortFrom(normalClient, 51515), normalServer, "PLAIN1", 8*time.Millisecond)
		require.NoError(t, s.Close())
		sum := s.Summary()

		t.Logf("%d workers: overlap bytes %d, messages %v, parse errors %v, dropped %v", workers, sum.TCP.OverlapBytes, sum.Messages, sum.ParseErrors, sum.Dropped)
		wantOverlap := uint64(len(msg)+len(msg)-seg) + (bulkSize+mss-1)/mss*mss
		assert.Equal(t, wantOverlap, sum.TCP.OverlapBytes, "every byte sent twice is counted, delivered or queued")
		assert.Zero(t, sum.Dropped["analyzer_panics"]+sum.Dropped["packet_panics"])
		// The in-order copy is hidden whole; the out-of-order one keeps its
		// first segment (never queued, so never replaced), whose header and
		// PID are read when garbage closes the frame; and the normal result.
		assert.Equal(t, uint64(2), sum.Messages["hl7"]["ORU^R01"])
		assert.NotZero(t, sum.ParseErrors["hl7"]["gave_up"], "the garbage is a violation")
		requirePHIAlert(t, log, normalClient, normalServer)
	})
}

func TestHostileFragmentFlood(t *testing.T) {
	forWorkers(t, func(t *testing.T, workers int) {
		n := 300_000 // scaled: 70 times max_datagrams
		if hostileFull() {
			n = 3_000_000
		}
		cfg := DefaultConfig()
		cfg.Workers = workers
		dcfg := cfg.Capture.Divide(workers).Defrag
		before := heaptest.Inuse()
		s, f, log := hostileSensor(t, cfg)
		dst := netip.MustParseAddr("10.40.1.20")
		first, other := noise(1200, 3), noise(1200, 4)
		tiny := first[:8]
		start := time.Now()
		var held, heldBytes uint64
		for i := 0; i < n; i++ {
			at := time.Duration(i) * 10 * time.Microsecond
			src := netip.AddrFrom4([4]byte{172, 20, byte(i >> 16), byte(i >> 8)})
			id := uint16(i)
			switch {
			case i%100 == 0:
				// Tiny fragments: more than max_fragments_per_datagram.
				for k := 0; k <= dcfg.MaxFragmentsPerDatagram; k++ {
					f.fragment(src, dst, 17, id, 8*k, true, tiny, at)
				}
			case i%10 == 0:
				// Overlapping fragments that disagree.
				f.fragment(src, dst, 17, id, 0, true, first[:800], at)
				f.fragment(src, dst, 17, id, 400, true, other[:800], at)
			default:
				// A first fragment whose datagram never completes.
				f.fragment(src, dst, 17, id, 0, true, first, at)
			}
			if i%20_000 == 0 {
				ds := s.defragStats()
				held, heldBytes = max(held, ds.HeldDatagrams), max(heldBytes, ds.HeldBytes)
			}
		}
		at := time.Duration(n) * 10 * time.Microsecond
		// The normal result, its one segment cut in fragments, after the flood.
		c := newConn(f, netip.AddrPortFrom(normalClient, 51515), normalServer)
		c.open(at)
		c.writeFragmented(app.ClientToServer, oru("FRAG1"), 128, at+time.Millisecond)
		c.write(app.ServerToClient, ack("FRAG1"), at+2*time.Millisecond)
		c.close(at + 3*time.Millisecond)
		elapsed := time.Since(start)
		// Bound: max_bytes of fragment buffers in all (divided among the
		// workers), the pool's batches, 16 MiB for the rest and the GC.
		heaptest.AssertGrowth(t, before, uint64(cfg.Capture.Defrag.MaxBytes)+poolBytes(workers)+16<<20, "fragment flood")
		require.NoError(t, s.Close())
		ds := s.defragStats()
		sum := s.Summary()

		t.Logf("%d datagrams of fragments, %d workers: %v, peak held %d datagrams, %d bytes; %+v", n, workers, elapsed, held, heldBytes, ds)
		assert.LessOrEqual(t, held, uint64(workers*dcfg.MaxDatagrams), "held datagrams stay at max_datagrams")
		assert.LessOrEqual(t, heldBytes, uint64(workers*dcfg.MaxBytes), "held bytes stay at max_bytes")
		assert.Greater(t, ds.EvictedAtCap, uint64(n/2), "datagrams past the caps are evicted and counted")
		assert.GreaterOrEqual(t, ds.Overlaps, uint64(n/10-n/100), "every disagreeing overlap is counted")
		assert.GreaterOrEqual(t, ds.TooManyFragments, uint64(n/100), "every datagram of tiny fragments is dropped and counted")
		assert.NotZero(t, sum.Dropped["fragments_evicted"])
		assert.Equal(t, uint64(1), ds.Reassembled, "the normal segment is reassembled")
		assert.Equal(t, uint64(1), sum.Messages["hl7"]["ORU^R01"], "and its message parsed")
		requirePHIAlert(t, log, normalClient, normalServer)
	})
}

func TestHostileOutOfOrderStreamsWithGaps(t *testing.T) {
	forWorkers(t, func(t *testing.T, workers int) {
		streams, size := 100, 1<<20 // scaled: 100 × 1 MiB
		if hostileFull() {
			size = 10 << 20
		}
		cfg := DefaultConfig()
		cfg.Workers = workers
		// Small caps, so that 100 streams each holding a reversed block of 64
		// segments (6,400 pages) exceed both several times over.
		cfg.Capture.Reassembly.MaxPagesPerConn = 32
		cfg.Capture.Reassembly.MaxPagesTotal = 1024
		before := heaptest.Inuse()
		s, f, log := hostileSensor(t, cfg)
		body, _ := results("B", size)
		tail, tailMessages := results("T", 16<<10)
		conns := make([]*conn, streams)
		for i := range conns {
			conns[i] = newConn(f, netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 40, 5, byte(10 + i)}), 50000), normalServer)
			conns[i].open(time.Duration(i) * time.Microsecond)
		}
		const block = 64 // segments sent in reverse order
		segments := (len(body) + mss - 1) / mss
		at := time.Millisecond
		var lost int
		start := time.Now()
		for b := 0; b < segments; b += block {
			for i, c := range conns {
				for k := min(b+block, segments) - 1; k >= b; k-- {
					if k == b+block/2 && (b/block+i)%4 == 0 {
						lost++
						continue // a hole: this segment is never captured
					}
					off := k * mss
					c.segment(app.ClientToServer, uint32(off), body[off:min(off+mss, len(body))], at)
					at += 30 * time.Microsecond
				}
			}
		}
		for _, c := range conns {
			c.seq[app.ClientToServer] += uint32(len(body))
		}
		// Past the gap wait, each stream ends with results in order.
		at += 3 * time.Second
		for _, c := range conns {
			c.write(app.ClientToServer, tail, at)
			at += time.Millisecond
		}
		elapsed := time.Since(start)
		// Bound: max_pages_total pages of about 2 KiB (a 1,900-byte page and its
		// bookkeeping), each HL7 direction's buffer under 64 KiB between
		// messages, flows, the pool's batches, 16 MiB for the GC.
		r := cfg.Capture.Reassembly
		bound := uint64(r.MaxPagesTotal)*2<<10 + uint64(streams)*64<<10 + poolBytes(workers) + 16<<20
		heaptest.AssertGrowth(t, before, bound, "out-of-order streams")
		for _, c := range conns {
			c.close(at)
		}
		hl7Exchange(f, netip.AddrPortFrom(normalClient, 51515), normalServer, "OOO1", at+time.Millisecond)
		require.NoError(t, s.Close())
		sum := s.Summary()
		cs := s.captureCounters()

		t.Logf("%d streams of %d MiB, %d workers: %v; %d segments lost, gaps %d (%d bytes), cap hits %d, overlap %d, messages %v, parse errors %v",
			streams, size>>20, workers, elapsed, lost, cs.TCPGaps, cs.TCPGapBytes, cs.ReassemblyCapHits, cs.TCPOverlapBytes, sum.Messages["hl7"], sum.ParseErrors["hl7"])
		assert.NotZero(t, cs.ReassemblyCapHits, "the out-of-order buffers reach their caps")
		assert.GreaterOrEqual(t, cs.TCPGapBytes, uint64(lost*mss), "the holes are counted")
		assert.GreaterOrEqual(t, sum.Messages["hl7"]["ORU^R01"], uint64(streams*tailMessages+1), "every result after the gaps is parsed")
		requirePHIAlert(t, log, normalClient, normalServer)
	})
}
