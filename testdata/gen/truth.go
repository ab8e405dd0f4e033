package gen

import (
	"net/netip"
	"time"
)

// Truth is what a generated capture holds, for tests to compare a sensor with.
type Truth struct {
	Packets   int   // packets written
	Bytes     int   // sum of frame lengths (Ethernet frames padded to 60 bytes)
	FileBytes int64 // size of the pcap or pcapng file
	Flows     int   // distinct 5-tuples: TCP connections plus UDP conversations
	Devices   int   // distinct IP addresses
	First     time.Time
	Last      time.Time
	// MaxConcurrent is the most flows open at the same time.
	MaxConcurrent int

	// Messages counts application messages whose every byte is in the capture,
	// by app then summary key ("hl7" → "ORU^R01", "ACK"; "astm" → "result",
	// "order", "query", "other"; "zpl" → "label"; "tls" → "client_hello",
	// "server_hello"; "dns" → "query", "response"). Damaged counts, the same way,
	// messages that a lost segment cut.
	Messages map[string]map[string]int
	Damaged  map[string]map[string]int
	// Events counts what was done to the traffic: "retransmit", "reorder", "loss",
	// "fragment" (datagrams), "fragment_out_of_order", "vlan", "qinq", "ipv6"
	// (flows), "rst", "hl7_ae", "hl7_two_in_one_write", "astm_nak", "dns_nxdomain".
	Events map[string]int

	Streams []StreamTruth // one per TCP connection, in launch order
	Planted []string      // every fictional patient value written, as written
}

// StreamTruth describes one TCP connection.
type StreamTruth struct {
	App    string // "hl7", "astm", "zpl", "tls"
	Client netip.AddrPort
	Server netip.AddrPort
	VLANs  []uint16 // tags as written, outer first (none on non-Ethernet links)
	Start  time.Time
	Reset  bool        // closed by RST rather than FIN
	Dirs   [2]DirTruth // indexed by app.Direction
}

// DirTruth describes one direction of a TCP connection.
type DirTruth struct {
	Bytes      int         // unique payload bytes sent (retransmissions counted once)
	Delivered  int         // of which the capture holds at least one copy
	Lost       int         // of which the capture holds none
	LostRanges []ByteRange // where, as offsets from the first payload byte; adjacent losses merged
	Messages   int         // application messages sent, intact or damaged
	Payload    []byte      // every byte sent, lost ones included (Options.KeepPayload only)
}

// addLost records n lost bytes at off; losses come in stream order, and
// adjacent ones merge into one range, as the receiver sees one gap.
func (d *DirTruth) addLost(off, n int64) {
	d.Lost += int(n)
	if k := len(d.LostRanges) - 1; k >= 0 && d.LostRanges[k].Offset+d.LostRanges[k].Len == off {
		d.LostRanges[k].Len += n
		return
	}
	d.LostRanges = append(d.LostRanges, ByteRange{Offset: off, Len: n})
}

// ByteRange is a span of a byte stream.
type ByteRange struct {
	Offset int64
	Len    int64
}

// Summary is Truth without per-stream detail and patient values, fit to print.
type Summary struct {
	Packets       int                       `json:"packets"`
	Bytes         int                       `json:"bytes"`
	FileBytes     int64                     `json:"file_bytes"`
	AvgPacket     float64                   `json:"avg_packet_bytes"`
	Flows         int                       `json:"flows"`
	TCPStreams    int                       `json:"tcp_streams"`
	Devices       int                       `json:"devices"`
	MaxConcurrent int                       `json:"max_concurrent_flows"`
	First         time.Time                 `json:"first"`
	Last          time.Time                 `json:"last"`
	Messages      map[string]map[string]int `json:"messages"`
	Damaged       map[string]map[string]int `json:"damaged_messages"`
	Events        map[string]int            `json:"events"`
	Planted       int                       `json:"planted_values"`
}

// Summary returns the counts of t.
func (t *Truth) Summary() Summary {
	s := Summary{
		Packets: t.Packets, Bytes: t.Bytes, FileBytes: t.FileBytes, Flows: t.Flows,
		TCPStreams: len(t.Streams), Devices: t.Devices, MaxConcurrent: t.MaxConcurrent,
		First: t.First, Last: t.Last, Messages: t.Messages, Damaged: t.Damaged,
		Events: t.Events, Planted: len(t.Planted),
	}
	if t.Packets > 0 {
		s.AvgPacket = float64(int(float64(t.Bytes)/float64(t.Packets)*10+0.5)) / 10
	}
	return s
}

func newTruth() *Truth {
	return &Truth{
		Messages: map[string]map[string]int{},
		Damaged:  map[string]map[string]int{},
		Events:   map[string]int{},
	}
}

// count adds one to m[app][typ].
func (t *Truth) count(m map[string]map[string]int, appName, typ string) {
	byType := m[appName]
	if byType == nil {
		byType = map[string]int{}
		m[appName] = byType
	}
	byType[typ]++
}
