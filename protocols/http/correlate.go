package http

import "time"

// Request ↔ response correlation, kept apart from parsing: requests wait in a
// bounded FIFO (pipelining) until the response that answers them.

type pendingReq struct {
	method string
	path   string
	ts     time.Time
}

// pendingQueue is a ring of at most max requests.
type pendingQueue struct {
	ring       []pendingReq
	head, size int
}

// push adds a request; it reports false when the oldest had to be dropped.
func (q *pendingQueue) push(r pendingReq, max int) bool {
	if q.ring == nil {
		q.ring = make([]pendingReq, max)
	}
	dropped := false
	if q.size == len(q.ring) {
		q.head = (q.head + 1) % len(q.ring)
		q.size--
		dropped = true
	}
	q.ring[(q.head+q.size)%len(q.ring)] = r
	q.size++
	return !dropped
}

// peek returns the oldest request, if any.
func (q *pendingQueue) peek() (pendingReq, bool) {
	if q.size == 0 {
		return pendingReq{}, false
	}
	return q.ring[q.head], true
}

// pop removes the oldest request.
func (q *pendingQueue) pop() {
	if q.size > 0 {
		q.ring[q.head] = pendingReq{}
		q.head = (q.head + 1) % len(q.ring)
		q.size--
	}
}
