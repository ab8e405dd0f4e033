package output

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
)

func (r *rsyslog) config(t *testing.T, scheme, format string) SyslogConfig {
	cfg := testConfig(t, r.url(scheme))
	cfg.Format = format
	if scheme == "tls" {
		cfg.CA, cfg.Cert, cfg.Key, cfg.ServerName = r.certs.ca, r.certs.clientCert, r.certs.clientKey, "localhost"
	}
	return cfg
}

// TestRsyslogEveryTransportAndFormat sends a plain, a hostile and a 10 KB alert
// over UDP, TCP and TLS in every format to a real rsyslogd and reads back what
// it wrote with the independent readers.
func TestRsyslogEveryTransportAndFormat(t *testing.T) {
	r := newRsyslog(t)
	huge := strings.Repeat("|=\\]\"é\n", 10<<10/8)
	for _, scheme := range []string{"udp", "tcp", "tls"} {
		for _, format := range allFormats {
			t.Run(scheme+"/"+format, func(t *testing.T) {
				s, err := NewSyslog(r.config(t, scheme, format), zerolog.Nop())
				require.NoError(t, err)
				tag := scheme + "-" + format
				alerts := []*detect.Alert{baseAlert(), hostileAlert(), hostileAlert()}
				alerts[2].Summary, alerts[2].Details = huge, map[string]any{"blob": huge}
				for i, a := range alerts {
					a.ID = fmt.Sprintf("%s-%d", tag, i)
					s.Write(a)
				}
				require.NoError(t, s.Close())
				var got []string
				waitFor(t, "messages at rsyslog", 10*time.Second, func() bool {
					got = got[:0]
					for _, l := range r.lines() {
						if strings.Contains(l, tag+"-") {
							got = append(got, l)
						}
					}
					return len(got) >= len(alerts)
				})
				for _, line := range got {
					p, err := parseBack(format, []byte(line))
					require.NoError(t, err, "%s", line)
					var i int
					_, err = fmt.Sscanf(strings.TrimPrefix(p.fields["id"], tag+"-"), "%d", &i)
					require.NoError(t, err)
					a := alerts[i]
					assert.Equal(t, a.SrcIP, p.fields["src_ip"])
					assert.Equal(t, "51515", p.fields["src_port"])
					if i < 2 {
						assert.Equal(t, oneLine(a.Summary), p.summary)
						assert.Equal(t, oneLineOr(format, a.Device), p.fields["device"])
					} else {
						assert.Equal(t, "true", p.fields["truncated"])
						assert.True(t, strings.HasPrefix(oneLine(huge), p.summary))
						max := DefaultStreamMaxBytes
						if scheme == "udp" {
							max = UDPMaxBytes
						}
						assert.LessOrEqual(t, len(line), max)
					}
				}
			})
		}
	}
}

// TestRsyslogTLSNoFallback: a receiver whose certificate does not match gets
// nothing, not even in plain text; the alert waits in the queue.
func TestRsyslogTLSNoFallback(t *testing.T) {
	r := newRsyslog(t)
	cfg := r.config(t, "tls", FormatRFC5424)
	cfg.ServerName = "siem.example"
	cfg.CloseTimeout = 100 * time.Millisecond
	logs, log := logBuffer()
	s, err := NewSyslog(cfg, log)
	require.NoError(t, err)
	a := baseAlert()
	a.ID = "must-not-arrive"
	s.Write(a)
	time.Sleep(time.Second)
	assert.Zero(t, s.Stats().Sent.Load())
	n, _ := s.QueueDepth()
	assert.EqualValues(t, 1, n)
	require.NoError(t, s.Close())
	assert.Contains(t, logs.String(), "certificate")
	for _, l := range r.lines() {
		assert.NotContains(t, l, "must-not-arrive")
	}
}
