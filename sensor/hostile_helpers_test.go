package sensor

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/capture/pcapfile"
	"labwatch/detect"
	"labwatch/protocols/app"
)

// hostileFull tells whether the full-size hostile cases run (LABWATCH_HOSTILE_FULL=1
// and not -short); by default each runs a scaled case that still exceeds its cap
// several times over.
func hostileFull() bool {
	return !testing.Short() && os.Getenv("LABWATCH_HOSTILE_FULL") == "1"
}

// TCP flag bits as they sit in byte 13 of the TCP header.
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagPSH = 0x08
	flagACK = 0x10
)

// hostileStart is the capture clock of every hostile test's first packet.
var hostileStart = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// feeder writes raw IPv4 packets (link type RAW) by hand into one reused buffer
// and gives them to a sensor. gopacket's serializer would cost more than the
// pipeline for a million packets; the decoder does not verify TCP or UDP
// checksums, so they are left zero.
type feeder struct {
	s    *Sensor
	buf  []byte
	pkt  pcapfile.Packet
	ipID uint16
}

func newFeeder(s *Sensor) *feeder {
	return &feeder{s: s, buf: make([]byte, 0, 1600), pkt: pcapfile.Packet{LinkType: layers.LinkTypeRaw}}
}

// ipv4 starts a packet with an IPv4 header for a body of n bytes; fragOff is
// in bytes (a multiple of 8), more sets More Fragments.
func (f *feeder) ipv4(src, dst netip.Addr, proto byte, n, fragOff int, more bool, id uint16) {
	b := f.buf[:20]
	b[0], b[1] = 0x45, 0
	binary.BigEndian.PutUint16(b[2:], uint16(20+n))
	binary.BigEndian.PutUint16(b[4:], id)
	frag := uint16(fragOff / 8)
	if more {
		frag |= 0x2000
	}
	binary.BigEndian.PutUint16(b[6:], frag)
	b[8], b[9] = 64, proto
	b[10], b[11] = 0, 0
	s4, d4 := src.As4(), dst.As4()
	copy(b[12:16], s4[:])
	copy(b[16:20], d4[:])
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(b[10:], ^uint16(sum))
	f.buf = b
}

// send hands the packet in buf to the sensor at capture time at.
func (f *feeder) send(at time.Duration) {
	f.pkt.Data = f.buf
	f.pkt.CI.Timestamp = hostileStart.Add(at)
	f.pkt.CI.CaptureLength, f.pkt.CI.Length = len(f.buf), len(f.buf)
	f.s.Packet(&f.pkt)
}

// tcp sends one TCP segment.
func (f *feeder) tcp(src, dst netip.AddrPort, seq, ack uint32, flags byte, payload []byte, at time.Duration) {
	f.ipID++
	f.ipv4(src.Addr(), dst.Addr(), 6, 20+len(payload), 0, false, f.ipID)
	var h [20]byte
	binary.BigEndian.PutUint16(h[0:], src.Port())
	binary.BigEndian.PutUint16(h[2:], dst.Port())
	binary.BigEndian.PutUint32(h[4:], seq)
	binary.BigEndian.PutUint32(h[8:], ack)
	h[12], h[13] = 5<<4, flags
	binary.BigEndian.PutUint16(h[14:], 65535)
	f.buf = append(append(f.buf, h[:]...), payload...)
	f.send(at)
}

// udp sends one UDP datagram.
func (f *feeder) udp(src, dst netip.AddrPort, payload []byte, at time.Duration) {
	f.ipID++
	f.ipv4(src.Addr(), dst.Addr(), 17, 8+len(payload), 0, false, f.ipID)
	f.buf = append(f.buf, udpHeader(src.Port(), dst.Port(), len(payload))...)
	f.buf = append(f.buf, payload...)
	f.send(at)
}

// fragment sends one IPv4 fragment carrying body at byte offset off of
// datagram id.
func (f *feeder) fragment(src, dst netip.Addr, proto byte, id uint16, off int, more bool, body []byte, at time.Duration) {
	f.ipv4(src, dst, proto, len(body), off, more, id)
	f.buf = append(f.buf, body...)
	f.send(at)
}

func udpHeader(sport, dport uint16, n int) []byte {
	var h [8]byte
	binary.BigEndian.PutUint16(h[0:], sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	binary.BigEndian.PutUint16(h[4:], uint16(8+n))
	return h[:]
}

// conn is one TCP connection written through a feeder: handshake, data in
// segments of at most mss bytes, teardown. seq holds each side's next sequence
// number.
type conn struct {
	f        *feeder
	cli, srv netip.AddrPort
	seq      [2]uint32
}

const mss = 1400

func newConn(f *feeder, cli, srv netip.AddrPort) *conn {
	return &conn{f: f, cli: cli, srv: srv, seq: [2]uint32{1000, 500000}}
}

func (c *conn) ends(dir app.Direction) (src, dst netip.AddrPort) {
	if dir == app.ClientToServer {
		return c.cli, c.srv
	}
	return c.srv, c.cli
}

// segment sends payload from dir at sequence offset off (relative to the
// direction's next sequence number) without advancing it: for reordering,
// gaps and overlaps.
func (c *conn) segment(dir app.Direction, off uint32, payload []byte, at time.Duration) {
	src, dst := c.ends(dir)
	c.f.tcp(src, dst, c.seq[dir]+off, c.seq[dir^1], flagACK|flagPSH, payload, at)
}

// open sends SYN, SYN-ACK and ACK.
func (c *conn) open(at time.Duration) {
	c.f.tcp(c.cli, c.srv, c.seq[0], 0, flagSYN, nil, at)
	c.seq[0]++
	c.f.tcp(c.srv, c.cli, c.seq[1], c.seq[0], flagSYN|flagACK, nil, at+100*time.Microsecond)
	c.seq[1]++
	c.f.tcp(c.cli, c.srv, c.seq[0], c.seq[1], flagACK, nil, at+200*time.Microsecond)
}

// write sends payload from dir in order and advances the sequence number.
func (c *conn) write(dir app.Direction, payload []byte, at time.Duration) {
	for len(payload) > 0 {
		n := min(mss, len(payload))
		c.segment(dir, 0, payload[:n], at)
		c.seq[dir] += uint32(n)
		payload = payload[n:]
	}
}

// close sends FIN from both sides and the last ACK.
func (c *conn) close(at time.Duration) {
	c.f.tcp(c.cli, c.srv, c.seq[0], c.seq[1], flagFIN|flagACK, nil, at)
	c.seq[0]++
	c.f.tcp(c.srv, c.cli, c.seq[1], c.seq[0], flagFIN|flagACK, nil, at+100*time.Microsecond)
	c.seq[1]++
	c.f.tcp(c.cli, c.srv, c.seq[0], c.seq[1], flagACK, nil, at+200*time.Microsecond)
}

// Planted values of the one fictional patient the normal traffic carries; no
// alert may repeat them.
const (
	plantedName = "TESTPATIENT^HOSTILE"
	plantedMRN  = "MRN-5512001"
	plantedDOB  = "19610314"
)

// oru returns one MLLP-framed ORU^R01 naming the planted patient, with
// control ID id.
func oru(id string) []byte {
	msg := "MSH|^~\\&|COBAS|LAB|LIS|HOSP|20260302080000||ORU^R01|" + id + "|P|2.5.1\r" +
		"PID|1||" + plantedMRN + "^^^HOSP^MR||" + plantedName + "||" + plantedDOB + "|F\r" +
		"OBR|1|ORD" + id + "|ACC" + id + "|GLU^Glucose\r" +
		"OBX|1|NM|GLU^Glucose||5.4|mmol/L|3.9-6.1|N|||F\r"
	return mllp(msg)
}

// ack returns one MLLP-framed acknowledgement of control ID id.
func ack(id string) []byte {
	return mllp("MSH|^~\\&|LIS|HOSP|COBAS|LAB|20260302080001||ACK^R01|A" + id + "|P|2.5.1\rMSA|AA|" + id + "\r")
}

func mllp(msg string) []byte { return []byte("\x0b" + msg + "\x1c\r") }

// Addresses of the normal HL7 conversation: an analyzer sending results to the LIS.
var (
	normalClient = netip.MustParseAddr("10.40.2.11")
	normalServer = netip.MustParseAddrPort("10.40.1.10:2575")
)

// hl7Exchange opens a connection from cli to srv, sends one result with the
// planted patient, its acknowledgement, and closes the connection.
func hl7Exchange(f *feeder, cli, srv netip.AddrPort, id string, at time.Duration) {
	c := newConn(f, cli, srv)
	c.open(at)
	c.write(app.ClientToServer, oru(id), at+time.Millisecond)
	c.write(app.ServerToClient, ack(id), at+2*time.Millisecond)
	c.close(at + 3*time.Millisecond)
}

// alertLog collects a sensor's alerts; with several workers the sink is called
// from their goroutines.
type alertLog struct {
	mu     sync.Mutex
	alerts []*detect.Alert
}

func (l *alertLog) add(a *detect.Alert) {
	l.mu.Lock()
	l.alerts = append(l.alerts, a)
	l.mu.Unlock()
}

// hostileSensor builds a sensor whose alerts go to the returned log.
func hostileSensor(t *testing.T, cfg Config) (*Sensor, *feeder, *alertLog) {
	t.Helper()
	log := &alertLog{}
	s, err := New(cfg, log.add)
	require.NoError(t, err)
	return s, newFeeder(s), log
}

// requirePHIAlert asserts that a cleartext_phi alert names the path from cli
// to srv, and that no alert carries a planted value.
func requirePHIAlert(t *testing.T, log *alertLog, cli netip.Addr, srv netip.AddrPort) {
	t.Helper()
	log.mu.Lock()
	defer log.mu.Unlock()
	found := false
	for _, a := range log.alerts {
		text := a.Summary + " " + a.ID
		for _, v := range []string{"TESTPATIENT", "HOSTILE", plantedMRN, plantedDOB} {
			assert.False(t, strings.Contains(text, v), "an alert repeats a planted value")
		}
		if a.Type == detect.AlertCleartextPHI && a.SrcIP == cli.String() && a.DstIP == srv.Addr().String() && a.DstPort == srv.Port() {
			found = true
		}
	}
	assert.True(t, found, "the normal conversation's cleartext_phi alert comes out (%d alerts in all)", len(log.alerts))
}

// noise returns n pseudo-random bytes, the same for the same seed.
func noise(n int, seed byte) []byte {
	b := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{seed}).Read(b)
	return b
}

// stream sends total bytes from dir, cut from block over and over, one
// segment every 10 µs of capture time from at; it returns the time after the
// last segment.
func (c *conn) stream(dir app.Direction, block []byte, total int, at time.Duration) time.Duration {
	for off := 0; off < total; off += mss {
		n := min(mss, total-off)
		i := off % (len(block) - mss)
		c.segment(dir, 0, block[i:i+n], at)
		c.seq[dir] += uint32(n)
		at += 10 * time.Microsecond
	}
	return at
}

// poolBytes is what the worker pool's batches hold with several workers.
func poolBytes(workers int) uint64 {
	if workers <= 1 {
		return 0
	}
	return uint64(workers * batchesPerWorker * batchBytes)
}

// writeFragmented sends payload from dir as one TCP segment cut into IPv4
// fragments of size bytes (a multiple of 8), last fragment first.
func (c *conn) writeFragmented(dir app.Direction, payload []byte, size int, at time.Duration) {
	src, dst := c.ends(dir)
	var h [20]byte
	binary.BigEndian.PutUint16(h[0:], src.Port())
	binary.BigEndian.PutUint16(h[2:], dst.Port())
	binary.BigEndian.PutUint32(h[4:], c.seq[dir])
	binary.BigEndian.PutUint32(h[8:], c.seq[dir^1])
	h[12], h[13] = 5<<4, flagACK|flagPSH
	binary.BigEndian.PutUint16(h[14:], 65535)
	body := append(h[:], payload...)
	c.f.ipID++
	for off := (len(body) - 1) / size * size; off >= 0; off -= size {
		end := min(off+size, len(body))
		c.f.fragment(src.Addr(), dst.Addr(), 6, c.f.ipID, off, end < len(body), body[off:end], at)
	}
	c.seq[dir] += uint32(len(payload))
}

// results returns MLLP-framed results of about 1 KiB each, control IDs
// prefix1, prefix2 …, adding up to at least total bytes, and their count.
func results(prefix string, total int) ([]byte, int) {
	var out []byte
	n := 0
	pad := strings.Repeat("NTE|1||result comment padding the message\r", 20)
	for len(out) < total {
		n++
		msg := oru(prefix + strconv.Itoa(n))
		out = append(out, msg[:len(msg)-2]...)
		out = append(out, pad...)
		out = append(out, 0x1c, '\r')
	}
	return out, n
}
