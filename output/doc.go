// Package output delivers what the sensor produces: alerts as JSON lines and to
// SIEMs over syslog, and the run summary as JSON and as a short human report.
//
// # Sinks
//
// A Sink takes alerts (Write) and is closed at exit. JSONLines writes the
// --alerts file; Syslog sends to one receiver; OpenSyslogs starts one per entry
// of the config's outputs list; Multi fans out to all of them and Multi.Reopen
// reopens the files on SIGHUP (logrotate).
//
// # Syslog formats (Format, Formatter)
//
//   - rfc5424: <PRI>1 TS HOST APP - TYPE [labwatch@32473 id="…" type="…" severity="…" …] summary
//     SD values escape '"', '\' and ']'.
//   - rfc3164: <PRI>Mmm dd hh:mm:ss HOST labwatch: id=… type=… … msg="summary"
//     values with a space, '"', '\' or '=' are quoted, '"' and '\' escaped.
//   - cef: 3164 header, then CEF:0|labwatch|labwatch|VERSION|type|summary|0-10|ext
//     header escapes '\' and '|'; extension values escape '\', '=' and line breaks (\n, \r).
//   - leef: 3164 header, then LEEF:2.0|labwatch|labwatch|VERSION|type|x09|k=v<TAB>k=v
//     LEEF has no escapes in values: tabs and line breaks become spaces.
//   - json: RFC 5424 header without structured data, MSG is the --alerts JSON object.
//
// Every message is one line of valid UTF-8 (control characters become spaces,
// except where the format escapes them). Severity maps to syslog critical=2,
// high=3, medium=4, low=5, info=6 and to 10/8/5/3/1 in CEF and LEEF. A message
// larger than MaxMessageBytes (UDP: at most 2048; TCP/TLS default 8192, rsyslog's
// default maxMessageSize) is shrunk, never cut: details go first, then the
// summary, then the other fields, and it carries truncated=true.
//
// # Transports
//
// udp:// one message per datagram (RFC 5426). tcp:// octet-counted framing
// (RFC 6587 3.4.1). tls:// the same inside TLS 1.2+ (RFC 5425): the receiver's
// certificate must chain to CA (or the system roots) and match ServerName (default
// the URL host); Cert/Key give a client certificate. There is no fallback to
// plain text and no option to skip verification.
//
// # Delivery
//
// Write never blocks: it renders the alert and hands it over a bounded channel
// (BufferAlerts; full → dropped, reason buffer_full) to a disk writer that stores
// batches in a bbolt file QueueDir/NAME.queue, one fsync per batch. Payload bytes
// queued are capped by QueueMaxBytes; beyond it new alerts are dropped (reason
// queue_full) — the oldest, still undelivered, are kept. The file itself may grow
// past the cap by bbolt's page overhead. Only one process may hold a queue file.
//
// A sender goroutine reads the queue in order and writes to the receiver,
// reconnecting with exponential backoff (BackoffMin..BackoffMax). TCP gives no
// application ack, so a written message stays queued until the connection has
// stayed up ConfirmAfter (default 2s) longer; a reader on the connection notices
// the receiver closing at once. After a reconnect every unconfirmed message is
// written again in order (Retried); receivers may see duplicates, which carry
// the same alert id. At most ResendWindow messages are unconfirmed at a time.
// UDP messages leave the queue once written: a datagram lost while the receiver
// is down is lost.
//
// What reached the disk queue survives a crash or kill -9; the window at risk is
// the alerts in the hand-off channel not yet committed (milliseconds). Close
// stores those, then waits up to CloseTimeout for the queue to drain; the rest
// is sent by the next run.
//
// # Disk faults
//
// A queue disk that refuses writes (full, read-only, I/O error) costs the
// alerts of the refused batch (Dropped, DiskDropped, reason disk_error); the
// error is logged once per episode and its end once, with the count lost.
// Delivered messages the disk will not let us remove stay queued and may be
// sent twice. JSONLines writes whole lines only: a write cut short is cut back,
// up to 1 MiB of lines wait for the disk, and Close returns the first error.
//
// # Limits of the guarantee
//
// A connection that dies silently (cable pulled, no FIN or RST) is noticed only
// when writes time out (WriteTimeout); messages confirmed in between are lost.
// Keep ConfirmAfter above the receiver's own buffering time.
//
// # Metrics
//
// OutputStats per output: Sent (first writes), Queued (stored on disk), Retried
// (rewrites after a reconnect), Dropped (at a cap), DiskDropped (of Dropped, refused
// by the disk). QueueDepth gives the backlog.
// Logs name the output, its address and counts; never alert content.
//
// # Tests
//
// The integration tests start a real rsyslogd (Debian packages rsyslog and
// rsyslog-gnutls) in the foreground on loopback high ports and skip when it is
// absent or with -short. Certificates are generated per test.
package output
