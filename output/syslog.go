package output

import (
	"context"
	"crypto/tls"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"labwatch/detect"
)

// Syslog delivers alerts to one SIEM receiver. Write renders the alert and hands
// it to a disk writer through a bounded channel, so capture never waits on the
// network or on fsync; the writer stores batches in the on-disk queue; the
// sender drains the queue in order. See doc.go for the delivery guarantees.
type Syslog struct {
	cfg   SyslogConfig
	ep    endpoint
	tls   *tls.Config
	fmt   Formatter
	log   zerolog.Logger
	stats OutputStats
	q     *diskQueue

	mu     sync.RWMutex // guards closed against Write racing Close
	closed bool
	in     chan item     // Write → disk writer
	wake   chan struct{} // disk writer → sender, "something new"
	stop   chan struct{} // Close → sender: drain, then return
	cancel context.CancelFunc
	ctx    context.Context // cancelled when Close gives up waiting

	writerDone, senderDone chan struct{}
	drops                  dropLog
	queueWrite, queueDrop  diskFault // episodes of a disk refusing the queue's writes
	closeOnce              sync.Once
	closeErr               error
}

// item is one rendered message, or (msg nil) a sync marker closed once every
// earlier message is on disk.
type item struct {
	msg    []byte
	synced chan struct{}
}

// NewSyslog validates cfg, opens (or reopens) the output's disk queue and starts
// delivering, beginning with whatever an earlier run left queued.
func NewSyslog(cfg SyslogConfig, log zerolog.Logger) (*Syslog, error) {
	cfg, ep, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	tlsCfg, err := tlsConfig(cfg, ep)
	if err != nil {
		return nil, err
	}
	q, err := openQueue(cfg.QueueDir, cfg.Name, cfg.QueueMaxBytes)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Syslog{
		cfg: cfg, ep: ep, tls: tlsCfg, fmt: cfg.formatter(),
		log: log.With().Str("output", cfg.Name).Str("proto", ep.scheme).Str("addr", ep.addr).Logger(),
		q:   q, in: make(chan item, cfg.BufferAlerts), wake: make(chan struct{}, 1),
		stop: make(chan struct{}), ctx: ctx, cancel: cancel,
		writerDone: make(chan struct{}), senderDone: make(chan struct{}),
	}
	if n := q.count.Load(); n > 0 {
		s.log.Info().Int64("queued", n).Msg("resuming delivery of queued alerts")
	}
	go s.diskWriter()
	go s.sender()
	return s, nil
}

// Name is the output's name, the metrics label.
func (s *Syslog) Name() string { return s.cfg.Name }

// Stats are the output's counters.
func (s *Syslog) Stats() *OutputStats { return &s.stats }

// QueueDepth reports what waits on disk for the receiver.
func (s *Syslog) QueueDepth() (messages, bytes int64) { return s.q.count.Load(), s.q.bytes.Load() }

// Write renders a and hands it to the disk writer without blocking. When the
// hand-off buffer is full (the disk is slower than the alert rate) the alert is
// dropped and counted.
func (s *Syslog) Write(a *detect.Alert) {
	msg, err := s.fmt.Append(nil, a)
	if err != nil {
		s.drop(DropFormat, 1)
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		s.drop(DropClosed, 1)
		return
	}
	select {
	case s.in <- item{msg: msg}:
	default:
		s.drop(DropBufferFull, 1)
	}
}

// Sync returns once every alert written before it is stored on disk (or was
// dropped at the cap). Delivery to the receiver is not waited for.
func (s *Syslog) Sync() {
	done := make(chan struct{})
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return
	}
	s.in <- item{synced: done}
	s.mu.RUnlock()
	<-done
}

// Close stops accepting alerts, stores those in hand, and gives the sender up to
// CloseTimeout to deliver the queue. What is left stays on disk for the next run.
func (s *Syslog) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.in)
		s.mu.Unlock()
		<-s.writerDone
		close(s.stop)
		select {
		case <-s.senderDone:
		case <-time.After(s.cfg.CloseTimeout):
			s.cancel()
			<-s.senderDone
		}
		s.cancel()
		if n := s.q.count.Load(); n > 0 {
			s.log.Warn().Int64("queued", n).Msg("closing with undelivered alerts; they are sent on the next start")
		}
		s.closeErr = s.q.close()
	})
	return s.closeErr
}

// diskWriter stores messages in batches: one fsync per batch keeps up with
// bursts, and a committed batch survives a crash.
func (s *Syslog) diskWriter() {
	defer close(s.writerDone)
	const maxBatch = 512
	batch := make([][]byte, 0, maxBatch)
	var markers []chan struct{}
	for it := range s.in {
		batch, markers = batch[:0], markers[:0]
		collect := func(it item) {
			if it.msg != nil {
				batch = append(batch, it.msg)
			} else {
				markers = append(markers, it.synced)
			}
		}
		collect(it)
	more:
		for len(batch) < maxBatch {
			select {
			case next, ok := <-s.in:
				if !ok {
					break more
				}
				collect(next)
			default:
				break more
			}
		}
		s.store(batch)
		for _, m := range markers {
			close(m)
		}
	}
}

func (s *Syslog) store(batch [][]byte) {
	if len(batch) == 0 {
		return
	}
	stored, full, err := s.q.append(batch)
	if err != nil {
		s.queueWrite.failed(s.log, "disk queue write", err, len(batch))
		s.stats.DiskDropped.Add(uint64(len(batch)))
		s.drop(DropDisk, len(batch))
		return
	}
	s.queueWrite.ok(s.log, "disk queue write")
	s.stats.Queued.Add(uint64(stored))
	if full > 0 {
		s.drop(DropQueueFull, full)
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Syslog) drop(reason string, n int) {
	s.stats.Dropped.Add(uint64(n))
	s.drops.note(s.log, reason, n)
}

// dropLog logs drops at most every 10 seconds per output, with counts by reason.
type dropLog struct {
	mu     sync.Mutex
	last   time.Time
	counts map[string]int
}

func (d *dropLog) note(log zerolog.Logger, reason string, n int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.counts == nil {
		d.counts = map[string]int{}
	}
	d.counts[reason] += n
	if now := time.Now(); now.Sub(d.last) >= 10*time.Second {
		ev := log.Warn()
		for r, c := range d.counts {
			ev = ev.Int(r, c)
		}
		ev.Msg("alerts dropped")
		d.last = now
		clear(d.counts)
	}
}
