package output

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var bucketMessages = []byte("messages")

// diskQueue is an ordered, crash-safe FIFO of rendered messages in one bbolt
// file. Keys are the bucket's persistent sequence (8 bytes big-endian), so order
// holds across restarts; a committed append survives kill -9 and power loss
// (bbolt fsyncs each commit). One writer appends, one reader reads and removes.
type diskQueue struct {
	db       *bolt.DB
	maxBytes int64
	bytes    atomic.Int64 // payload bytes queued
	count    atomic.Int64 // messages queued
}

// queueEntry is one queued message; msg is a copy, valid after the transaction.
type queueEntry struct {
	seq uint64
	msg []byte
}

func openQueue(dir, name string, maxBytes int64) (*diskQueue, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("output: queue dir: %w", err)
	}
	path := filepath.Join(dir, name+".queue")
	db, err := bolt.Open(path, 0o640, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, ErrQueueLocked
	}
	if err != nil {
		return nil, fmt.Errorf("output: queue: %w", err)
	}
	q := &diskQueue{db: db, maxBytes: maxBytes}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMessages)
		if err != nil {
			return err
		}
		return b.ForEach(func(_, v []byte) error {
			q.bytes.Add(int64(len(v)))
			q.count.Add(1)
			return nil
		})
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("output: queue: %w", err)
	}
	return q, nil
}

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// append stores msgs in order in one transaction (one fsync for the batch).
// Messages that would take the queue past maxBytes are refused and counted in
// full; the rest are stored.
func (q *diskQueue) append(msgs [][]byte) (stored, full int, err error) {
	var addBytes int64
	err = q.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMessages)
		stored, full, addBytes = 0, 0, 0
		for _, m := range msgs {
			if q.bytes.Load()+addBytes+int64(len(m)) > q.maxBytes {
				full++
				continue
			}
			seq, err := b.NextSequence()
			if err != nil {
				return err
			}
			if err := b.Put(seqKey(seq), m); err != nil {
				return err
			}
			stored++
			addBytes += int64(len(m))
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("output: queue append: %w", err)
	}
	q.bytes.Add(addBytes)
	q.count.Add(int64(stored))
	return stored, full, nil
}

// readAfter returns up to n entries with sequence numbers above after, in order.
func (q *diskQueue) readAfter(after uint64, n int) ([]queueEntry, error) {
	var out []queueEntry
	err := q.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketMessages).Cursor()
		for k, v := c.Seek(seqKey(after + 1)); k != nil && len(out) < n; k, v = c.Next() {
			if len(k) != 8 {
				continue // not ours; never trust the file blindly
			}
			out = append(out, queueEntry{seq: binary.BigEndian.Uint64(k), msg: append([]byte(nil), v...)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("output: queue read: %w", err)
	}
	return out, nil
}

// remove deletes delivered entries in one transaction.
func (q *diskQueue) remove(seqs []uint64) error {
	if len(seqs) == 0 {
		return nil
	}
	var freed, n int64
	err := q.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMessages)
		freed, n = 0, 0
		for _, s := range seqs {
			k := seqKey(s)
			if v := b.Get(k); v != nil {
				freed += int64(len(v))
				n++
				if err := b.Delete(k); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("output: queue remove: %w", err)
	}
	q.bytes.Add(-freed)
	q.count.Add(-n)
	return nil
}

func (q *diskQueue) close() error { return q.db.Close() }
