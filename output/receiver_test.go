package output

import (
	"bufio"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeReceiver is an in-process octet-counting TCP receiver for unit tests; the
// rsyslog tests cover a real one.
type fakeReceiver struct {
	t    *testing.T
	addr string
	mu   sync.Mutex
	ln   net.Listener
	msgs []string
	// forget, when set, makes the receiver lose the last n messages of a
	// connection it drops, like a crashing SIEM that had them only in memory.
	conns []net.Conn
}

func newFakeReceiver(t *testing.T) *fakeReceiver {
	r := &fakeReceiver{t: t}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	r.addr = ln.Addr().String()
	r.serve(ln)
	t.Cleanup(r.stop)
	return r
}

func (r *fakeReceiver) serve(ln net.Listener) {
	r.mu.Lock()
	r.ln = ln
	r.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r.mu.Lock()
			r.conns = append(r.conns, c)
			r.mu.Unlock()
			go r.read(c)
		}
	}()
}

func (r *fakeReceiver) read(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		lenText, err := br.ReadString(' ')
		if err != nil {
			return
		}
		n, err := strconv.Atoi(lenText[:len(lenText)-1])
		if err != nil || n < 0 || n > 1<<20 {
			r.t.Errorf("bad frame length %q", lenText)
			return
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(br, buf); err != nil {
			return
		}
		r.mu.Lock()
		r.msgs = append(r.msgs, string(buf))
		r.mu.Unlock()
	}
}

// crash closes the listener and every connection, losing the last `lose`
// messages received.
func (r *fakeReceiver) crash(lose int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.ln.Close()
	for _, c := range r.conns {
		_ = c.Close()
	}
	r.conns = nil
	r.msgs = r.msgs[:max(0, len(r.msgs)-lose)]
}

// restart listens again on the same address.
func (r *fakeReceiver) restart() {
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", r.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(r.t, err)
	r.serve(ln)
}

func (r *fakeReceiver) stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.ln.Close()
	for _, c := range r.conns {
		_ = c.Close()
	}
}

func (r *fakeReceiver) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}
