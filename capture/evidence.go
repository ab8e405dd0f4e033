package capture

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// EvidenceConfig sets up evidence captures: when an alert names a flow, the
// flow's recent packets (a small ring kept per flow) and the packets that follow
// are written to DIR/<alert id>.pcap. The files hold packets as captured — patient
// data included — so they are written owner-only.
type EvidenceConfig struct {
	Dir string `yaml:"dir"` // empty: no evidence
	// RingPackets and RingBytes bound the packets kept per flow before an alert.
	RingPackets int `yaml:"ring_packets"`
	RingBytes   int `yaml:"ring_bytes"`
	// RingBytesTotal bounds all rings of one worker; flows beyond it keep none.
	RingBytesTotal int `yaml:"ring_bytes_total"`
	// AfterPackets is how many packets of the flow are written after the alert.
	AfterPackets int `yaml:"after_packets"`
	// MaxFilesPerHour (capture time) and MaxTotalBytes bound the files written.
	MaxFilesPerHour int   `yaml:"max_files_per_hour"`
	MaxTotalBytes   int64 `yaml:"max_total_bytes"`
}

// DefaultEvidenceConfig returns the documented defaults (Dir empty: off).
func DefaultEvidenceConfig() EvidenceConfig {
	return EvidenceConfig{
		RingPackets: 32, RingBytes: 64 << 10, RingBytesTotal: 64 << 20,
		AfterPackets: 64, MaxFilesPerHour: 60, MaxTotalBytes: 1 << 30,
	}
}

// EvidenceStats count what evidence capture did and what its caps refused.
type EvidenceStats struct {
	Files       atomic.Uint64 // evidence files written
	RateLimited atomic.Uint64 // refused: MaxFilesPerHour reached
	DiskFull    atomic.Uint64 // refused: MaxTotalBytes reached
	NoRing      atomic.Uint64 // flows that kept no ring: RingBytesTotal reached
	Unmatched   atomic.Uint64 // requests whose flow was no longer tracked
	Errors      atomic.Uint64 // files that could not be written
}

// Evidence is shared by the alert stage, which requests files, and the capture
// engines, which own the flows and write them. Requests wait in a small queue
// that each engine checks (one atomic load per packet).
type Evidence struct {
	cfg   EvidenceConfig
	stats EvidenceStats

	mu        sync.Mutex
	live      map[flowKey]int // flows the engines track now (a count: shards may share a key briefly)
	pending   []evidenceRequest
	npending  atomic.Int32
	hour      int64 // capture-time hour of the file count
	hourFiles int
	disk      atomic.Int64 // bytes in the evidence directory
}

type evidenceRequest struct {
	key  flowKey
	path string
	ts   time.Time
}

// unmatchedAfter drops a request no engine found the flow for.
const unmatchedAfter = 10 * time.Second

// NewEvidence prepares the directory (owner-only) and counts what it holds.
func NewEvidence(cfg EvidenceConfig) (*Evidence, error) {
	def := DefaultEvidenceConfig()
	for _, v := range []struct {
		p *int
		d int
	}{
		{&cfg.RingPackets, def.RingPackets}, {&cfg.RingBytes, def.RingBytes},
		{&cfg.RingBytesTotal, def.RingBytesTotal}, {&cfg.AfterPackets, def.AfterPackets},
		{&cfg.MaxFilesPerHour, def.MaxFilesPerHour},
	} {
		if *v.p <= 0 {
			*v.p = v.d
		}
	}
	if cfg.MaxTotalBytes <= 0 {
		cfg.MaxTotalBytes = def.MaxTotalBytes
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("capture: evidence: %w", err)
	}
	ev := &Evidence{cfg: cfg, live: map[flowKey]int{}}
	entries, err := os.ReadDir(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("capture: evidence: %w", err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() {
			ev.disk.Add(info.Size())
		}
	}
	return ev, nil
}

// Stats returns the evidence counters.
func (ev *Evidence) Stats() *EvidenceStats { return &ev.stats }

// Request asks for the flow between a and b to be written as name.pcap. It
// returns the file's path, or "" when a cap refuses (counted).
func (ev *Evidence) Request(a, b netip.AddrPort, transport uint8, name string, ts time.Time) string {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	if h := ts.Unix() / 3600; h != ev.hour {
		ev.hour, ev.hourFiles = h, 0
	}
	switch {
	case ev.hourFiles >= ev.cfg.MaxFilesPerHour:
		ev.stats.RateLimited.Add(1)
		return ""
	case ev.disk.Load() >= ev.cfg.MaxTotalBytes:
		ev.stats.DiskFull.Add(1)
		return ""
	}
	key := makeKey(a, b, transport)
	if ev.live[key] == 0 {
		// The flow already ended (an alert raised at expiry or from
		// aggregated state): there is nothing left to record.
		ev.stats.Unmatched.Add(1)
		return ""
	}
	ev.hourFiles++
	path := filepath.Join(ev.cfg.Dir, filepath.Base(name)+".pcap")
	ev.pending = append(ev.pending, evidenceRequest{key: key, path: path, ts: ts})
	ev.npending.Add(1)
	return path
}

func (ev *Evidence) flowStarted(k flowKey) {
	ev.mu.Lock()
	ev.live[k]++
	ev.mu.Unlock()
}

func (ev *Evidence) flowEnded(k flowKey) {
	ev.mu.Lock()
	if ev.live[k]--; ev.live[k] <= 0 {
		delete(ev.live, k)
	}
	ev.mu.Unlock()
}

// packetRing keeps a flow's most recent packets, reusing its buffers.
type packetRing struct {
	slots []ringSlot
	next  int
	n     int
}

type ringSlot struct {
	data []byte
	ci   gopacket.CaptureInfo
	link layers.LinkType
}

// evidenceFile is an open evidence capture of one flow.
type evidenceFile struct {
	f     *os.File
	w     *pcapgo.Writer
	link  layers.LinkType
	left  int
	bytes int64
}

// evidencePacket keeps the packet in the flow's ring and writes it to the
// flow's evidence file when one is open. It runs on the engine's goroutine.
func (e *Engine) evidencePacket(f *Flow, data []byte, ci gopacket.CaptureInfo, link layers.LinkType) {
	ev := e.evidence
	if ev.npending.Load() > 0 {
		e.takeEvidenceRequests(ci.Timestamp)
	}
	if f == nil {
		return
	}
	if len(f.evFiles) > 0 {
		e.writeEvidence(f, data, ci, link)
	}
	e.remember(f, data, ci, link)
}

// remember puts a packet in the flow's ring, within the per-flow and total caps.
func (e *Engine) remember(f *Flow, data []byte, ci gopacket.CaptureInfo, link layers.LinkType) {
	cfg := &e.evidence.cfg
	if f.ring == nil {
		if e.ringBytes+cfg.RingBytes > cfg.RingBytesTotal {
			if !f.noRing {
				f.noRing = true
				e.evidence.stats.NoRing.Add(1)
			}
			return
		}
		f.ring = &packetRing{slots: make([]ringSlot, cfg.RingPackets)}
		e.ringBytes += cfg.RingBytes // the ring's budget, held until the flow ends
	}
	r := f.ring
	if len(data) > cfg.RingBytes/cfg.RingPackets {
		data = data[:cfg.RingBytes/cfg.RingPackets] // keep headers and the start
	}
	s := &r.slots[r.next]
	s.data = append(s.data[:0], data...)
	s.ci, s.link = ci, link
	s.ci.CaptureLength = len(s.data)
	r.next = (r.next + 1) % len(r.slots)
	r.n = min(r.n+1, len(r.slots))
}

// takeEvidenceRequests starts the evidence files of requested flows this engine
// owns, and drops requests no engine matched in time.
func (e *Engine) takeEvidenceRequests(now time.Time) {
	ev := e.evidence
	ev.mu.Lock()
	defer ev.mu.Unlock()
	kept := ev.pending[:0]
	for _, req := range ev.pending {
		f := e.flows.flows[req.key]
		switch {
		case f != nil:
			e.startEvidence(f, req.path)
		case now.Sub(req.ts) > unmatchedAfter:
			ev.stats.Unmatched.Add(1)
		default:
			kept = append(kept, req) // another worker's flow, or not yet seen
			continue
		}
		ev.npending.Add(-1)
	}
	ev.pending = kept
}

// startEvidence opens the file and writes the ring's packets, oldest first.
func (e *Engine) startEvidence(f *Flow, path string) {
	ev := e.evidence
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		ev.stats.Errors.Add(1)
		return
	}
	link := layers.LinkTypeEthernet
	if r := f.ring; r != nil && r.n > 0 {
		link = r.slots[(r.next-r.n+len(r.slots))%len(r.slots)].link
	}
	w := pcapgo.NewWriter(file)
	if err := w.WriteFileHeader(65535, link); err != nil {
		file.Close()
		ev.stats.Errors.Add(1)
		return
	}
	ef := &evidenceFile{f: file, w: w, link: link, left: ev.cfg.AfterPackets, bytes: 24}
	ev.stats.Files.Add(1)
	if r := f.ring; r != nil {
		for i := 0; i < r.n; i++ {
			s := &r.slots[(r.next-r.n+i+len(r.slots))%len(r.slots)]
			if !e.appendEvidence(ef, s.data, s.ci, s.link) {
				e.closeEvidence(ef)
				return
			}
		}
	}
	f.evFiles = append(f.evFiles, ef)
}

// writeEvidence appends one packet to the flow's open evidence files (one per
// alert on the flow) and closes those whose window is done.
func (e *Engine) writeEvidence(f *Flow, data []byte, ci gopacket.CaptureInfo, link layers.LinkType) {
	open := f.evFiles[:0]
	for _, ef := range f.evFiles {
		ok := e.appendEvidence(ef, data, ci, link)
		if ef.left--; !ok || ef.left <= 0 {
			e.closeEvidence(ef)
			continue
		}
		open = append(open, ef)
	}
	f.evFiles = open
}

// appendEvidence writes one packet; false means the file failed.
func (e *Engine) appendEvidence(ef *evidenceFile, data []byte, ci gopacket.CaptureInfo, link layers.LinkType) bool {
	if link != ef.link {
		return true // a pcap holds one link type; such packets are rare (pcapng merges)
	}
	ci.CaptureLength = len(data)
	if ci.Length < len(data) {
		ci.Length = len(data)
	}
	if err := ef.w.WritePacket(ci, data); err != nil {
		e.evidence.stats.Errors.Add(1)
		return false
	}
	ef.bytes += int64(16 + len(data))
	return true
}

// closeEvidence closes an evidence file and accounts its size.
func (e *Engine) closeEvidence(ef *evidenceFile) {
	if err := ef.f.Close(); err != nil {
		e.evidence.stats.Errors.Add(1)
	}
	e.evidence.disk.Add(ef.bytes)
}

// releaseEvidence frees a finished flow's ring budget and closes its files.
func (e *Engine) releaseEvidence(f *Flow) {
	e.evidence.flowEnded(f.key)
	for _, ef := range f.evFiles {
		e.closeEvidence(ef)
	}
	f.evFiles = nil
	if f.ring != nil {
		f.ring = nil
		e.ringBytes -= e.evidence.cfg.RingBytes
	}
}
