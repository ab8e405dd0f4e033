package output

import (
	"time"
)

// flight is a message written on the current stream connection but not yet
// confirmed: it stays in the queue until the connection has outlived it by
// ConfirmAfter.
type flight struct {
	seq uint64
	at  time.Time
}

// sender drains the queue in order. TCP has no application-level ack, so a
// written message is only removed from the queue once the connection stayed up
// ConfirmAfter longer; when the connection dies, everything still unconfirmed is
// sent again, in order, after the reconnect (Retried; the receiver may see a
// duplicate, recognisable by the alert id). UDP messages are removed once
// written: UDP cannot know more.
func (s *Syslog) sender() {
	defer close(s.senderDone)
	var (
		k        *conn
		cursor   uint64 // last sequence written on k
		highest  uint64 // last sequence ever written in this run, to tell resends
		inflight []flight
		sent     []uint64
		backoff  = s.cfg.BackoffMin
		failures int
		draining bool
	)
	tick := time.NewTicker(max(s.cfg.ConfirmAfter/4, 10*time.Millisecond))
	defer tick.Stop()
	defer func() {
		if k != nil {
			k.close()
		}
	}()
	var upSince time.Time
	// drop forgets the connection. One that died young (a receiver accepting and
	// closing at once) earns a backoff pause, so we never spin on it.
	drop := func(why error) bool {
		s.log.Warn().Err(why).Int("unconfirmed", len(inflight)).Msg("receiver connection lost; resending unconfirmed alerts after reconnect")
		k.close()
		k, cursor, inflight = nil, 0, inflight[:0]
		if time.Since(upSince) >= s.cfg.ConfirmAfter {
			backoff = s.cfg.BackoffMin
			return true
		}
		ok := s.sleep(backoff)
		backoff = min(backoff*2, s.cfg.BackoffMax)
		return ok
	}
	for {
		if s.ctx.Err() != nil {
			return
		}
		if !draining {
			select {
			case <-s.stop:
				draining = true
			default:
			}
		}
		if k == nil {
			var err error
			k, err = dial(s.ctx, s.ep, s.tls, s.cfg.WriteTimeout)
			if err != nil {
				failures++
				if failures == 1 || failures%100 == 0 {
					s.log.Warn().Err(err).Int("attempts", failures).Msg("receiver unreachable; alerts wait in the disk queue")
				}
				if !s.sleep(backoff) {
					return
				}
				backoff = min(backoff*2, s.cfg.BackoffMax)
				continue
			}
			if failures > 0 {
				s.log.Info().Int("attempts", failures).Msg("receiver reachable again")
			}
			failures, upSince = 0, time.Now()
		}
		inflight = s.confirm(k, inflight)
		if !k.alive() {
			if !drop(errPeerClosed) {
				return
			}
			continue
		}
		room := s.cfg.ResendWindow - len(inflight)
		var batch []queueEntry
		if room > 0 {
			var err error
			batch, err = s.q.readAfter(cursor, min(room, 256))
			if err != nil {
				s.log.Error().Err(err).Msg("disk queue read failed")
				if !s.sleep(time.Second) {
					return
				}
				continue
			}
		}
		if len(batch) == 0 {
			if draining && len(inflight) == 0 {
				return
			}
			select {
			case <-s.wake:
			case <-tick.C:
			case <-k.dead:
			case <-s.stop:
				draining = true
			case <-s.ctx.Done():
				return
			}
			continue
		}
		sent = sent[:0]
		now := time.Now()
		for _, e := range batch {
			if err := k.send(e.msg, s.cfg.WriteTimeout); err != nil {
				if !drop(err) {
					return
				}
				break
			}
			cursor = e.seq
			if e.seq <= highest {
				s.stats.Retried.Add(1)
			} else {
				s.stats.Sent.Add(1)
				highest = e.seq
			}
			if k.stream {
				inflight = append(inflight, flight{e.seq, now})
			} else {
				sent = append(sent, e.seq)
			}
		}
		s.removeDelivered(sent)
	}
}

// removeDelivered takes delivered messages off the queue. A disk that refuses
// (full, read-only) leaves them queued: they may be sent again after a
// reconnect or restart, never lost. The failure is logged once per episode.
func (s *Syslog) removeDelivered(seqs []uint64) {
	if len(seqs) == 0 {
		return
	}
	if err := s.q.remove(seqs); err != nil {
		s.queueDrop.failed(s.log, "disk queue remove (alerts may be sent twice)", err, 0)
		return
	}
	s.queueDrop.ok(s.log, "disk queue remove")
}

// confirm removes from the queue the messages the live connection has outlived
// by ConfirmAfter.
func (s *Syslog) confirm(k *conn, inflight []flight) []flight {
	if len(inflight) == 0 || !k.alive() {
		return inflight
	}
	cut := time.Now().Add(-s.cfg.ConfirmAfter)
	n := 0
	for n < len(inflight) && !inflight[n].at.After(cut) {
		n++
	}
	if n == 0 {
		return inflight
	}
	seqs := make([]uint64, n)
	for i := range n {
		seqs[i] = inflight[i].seq
	}
	s.removeDelivered(seqs)
	return append(inflight[:0], inflight[n:]...)
}

// sleep waits d, or returns false when Close gave up on the queue.
func (s *Syslog) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.ctx.Done():
		return false
	}
}
