package output

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

// conn is one connection to the receiver. For streams a reader goroutine watches
// for the peer closing (a syslog receiver never talks back), so a dead receiver is
// noticed at once rather than at the next failing write.
type conn struct {
	c      net.Conn
	stream bool          // tcp or tls: octet-counted framing (RFC 6587 3.4.1)
	dead   chan struct{} // closed when the peer closed or the read failed
	frame  []byte        // reused write buffer
	unhook func() bool   // detaches the close-on-cancel hook
}

func dial(ctx context.Context, ep endpoint, tlsCfg *tls.Config, timeout time.Duration) (*conn, error) {
	d := net.Dialer{Timeout: timeout}
	var (
		c   net.Conn
		err error
	)
	switch ep.scheme {
	case "udp":
		c, err = d.DialContext(ctx, "udp", ep.addr)
	case "tcp":
		c, err = d.DialContext(ctx, "tcp", ep.addr)
	default:
		td := tls.Dialer{NetDialer: &d, Config: tlsCfg}
		c, err = td.DialContext(ctx, "tcp", ep.addr)
	}
	if err != nil {
		return nil, err
	}
	k := &conn{c: c, stream: ep.scheme != "udp", dead: make(chan struct{})}
	// Close giving up must not wait for a write stuck on a slow receiver.
	k.unhook = context.AfterFunc(ctx, func() { _ = c.Close() })
	if k.stream {
		go k.watch()
	}
	return k, nil
}

func (k *conn) watch() {
	defer close(k.dead)
	var buf [512]byte
	for {
		if _, err := k.c.Read(buf[:]); err != nil {
			return
		}
	}
}

func (k *conn) alive() bool {
	if !k.stream {
		return true
	}
	select {
	case <-k.dead:
		return false
	default:
		return true
	}
}

// send writes one message, framed "LEN SP MSG" on streams, one datagram on UDP.
func (k *conn) send(msg []byte, timeout time.Duration) error {
	if !k.alive() {
		return net.ErrClosed
	}
	if err := k.c.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	out := msg
	if k.stream {
		k.frame = strconv.AppendInt(k.frame[:0], int64(len(msg)), 10)
		k.frame = append(k.frame, ' ')
		k.frame = append(k.frame, msg...)
		out = k.frame
	}
	_, err := k.c.Write(out)
	return err
}

func (k *conn) close() {
	k.unhook()
	_ = k.c.Close()
}

// tlsConfig builds the client side of RFC 5425: the receiver's certificate must
// chain to CA (or the system roots) and name ServerName; there is no fallback to
// plain text and no way to skip verification.
func tlsConfig(c SyslogConfig, ep endpoint) (*tls.Config, error) {
	if ep.scheme != "tls" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.ServerName}
	if cfg.ServerName == "" {
		cfg.ServerName = ep.host
	}
	if c.CA != "" {
		pem, err := os.ReadFile(c.CA)
		if err != nil {
			return nil, fmt.Errorf("%w: ca: %w", ErrTLSConfig, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: ca: no PEM certificate", ErrTLSConfig)
		}
		cfg.RootCAs = pool
	}
	if c.Cert != "" {
		pair, err := tls.LoadX509KeyPair(c.Cert, c.Key)
		if err != nil {
			return nil, fmt.Errorf("%w: client certificate: %w", ErrTLSConfig, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}
