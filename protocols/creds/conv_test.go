package creds

import (
	"encoding/base64"
	"strings"
)

// Synthetic sessions: the generator of every test stream of this package.
// User names, passwords and communities are fictional and planted so that the
// tests can prove none comes out.

var planted = []string{"labtech", "s3cret", "jdoe", "hunter2", "lab-community", "MRN00042", "DOE^JANE",
	"rwcomm"}

// minimalClientHello is a TLS 1.2 ClientHello with one suite and no
// extensions: record 16 0301 002d | handshake 01 000029 | 0303, 32-byte
// random, empty session id, suites 0002 002f, compression 01 00.
var minimalClientHello = "\x16\x03\x01\x00\x2d\x01\x00\x00\x29\x03\x03" + strings.Repeat("\x00", 32) +
	"\x00\x00\x02\x00\x2f\x01\x00"

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// session is one scripted TCP flow to a server port.
type session struct {
	name  string
	note  string
	port  uint16
	steps []step
}

func sessions() []session {
	return []session{
		{name: "ftp_user_pass", port: 21, note: "FTP banner, USER/PASS accepted, then a file name with a patient value",
			steps: []step{
				{dir: s2c, data: "220 ProFTPD 1.3.5 Server (Lab archive) [10.40.1.5]\r\n"},
				{dir: c2s, data: "USER labtech\r\n"},
				{dir: s2c, data: "331 Password required for labtech\r\n"},
				{dir: c2s, data: "PASS s3cret\r\n"},
				{dir: s2c, data: "230 User labtech logged in\r\n"},
				{dir: c2s, data: "RETR DOE^JANE_MRN00042.pdf\r\n"},
			}},
		{name: "ftp_anonymous_failed_then_auth_tls", port: 21, note: "anonymous login refused, then AUTH TLS accepted: the flow is encrypted",
			steps: []step{
				{dir: s2c, data: "220-Welcome\r\n220 vsFTPd 3.0.3\r\n"},
				{dir: c2s, data: "USER anonymous\r\nPASS guest@\r\n"},
				{dir: s2c, data: "331 Please specify the password.\r\n530 Login incorrect.\r\n"},
				{dir: c2s, data: "AUTH TLS\r\n"},
				{dir: s2c, data: "234 Proceed with negotiation.\r\n"},
				{dir: c2s, data: "\x16\x03\x01\x00\x05hello"},
			}},
		{name: "pop3_user_pass_and_apop", port: 110, note: "POP3 USER/PASS refused, then APOP accepted",
			steps: []step{
				{dir: s2c, data: "+OK Dovecot ready. <1896.697170952@dbc.mtview.ca.us>\r\n"},
				{dir: c2s, data: "USER jdoe\r\nPASS hunter2\r\n"},
				{dir: s2c, data: "+OK\r\n-ERR [AUTH] Authentication failed.\r\n"},
				{dir: c2s, data: "APOP jdoe c4c9334bac560ecc979e58001b3e22fb\r\n"},
				{dir: s2c, data: "+OK maildrop has 1 message\r\n"},
			}},
		{name: "imap_login_and_authenticate_plain", port: 143, note: "IMAP LOGIN with a quoted user, then AUTHENTICATE PLAIN with a continuation",
			steps: []step{
				{dir: s2c, data: "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Dovecot ready.\r\n"},
				{dir: c2s, data: "a001 LOGIN \"labtech\" \"s3cret\"\r\n"},
				{dir: s2c, data: "a001 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"},
				{dir: c2s, data: "a002 AUTHENTICATE PLAIN\r\n"},
				{dir: s2c, data: "+ \r\n"},
				{dir: c2s, data: b64("\x00jdoe\x00hunter2") + "\r\n"},
				{dir: s2c, data: "a002 OK Logged in\r\n"},
			}},
		{name: "smtp_auth_login_and_plain", port: 587, note: "SMTP EHLO, AUTH LOGIN in three steps refused, AUTH PLAIN with initial response accepted",
			steps: []step{
				{dir: s2c, data: "220 mail.lab.example ESMTP Postfix (Debian/GNU)\r\n"},
				{dir: c2s, data: "EHLO analyzer-07\r\n"},
				{dir: s2c, data: "250-mail.lab.example\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"},
				{dir: c2s, data: "AUTH LOGIN\r\n"},
				{dir: s2c, data: "334 VXNlcm5hbWU6\r\n"},
				{dir: c2s, data: b64("labtech") + "\r\n"},
				{dir: s2c, data: "334 UGFzc3dvcmQ6\r\n"},
				{dir: c2s, data: b64("s3cret") + "\r\n"},
				{dir: s2c, data: "535 5.7.8 Error: authentication failed\r\n"},
				{dir: c2s, data: "AUTH PLAIN " + b64("\x00labtech\x00s3cret") + "\r\n"},
				{dir: s2c, data: "235 2.7.0 Authentication successful\r\n"},
			}},
		{name: "smtp_data_is_not_read", port: 25, note: "SMTP message text with command-like lines is skipped up to the final dot",
			steps: []step{
				{dir: s2c, data: "220 relay.lab.example ESMTP\r\n"},
				{dir: c2s, data: "HELO lis\r\nMAIL FROM:<lis@lab.example>\r\nRCPT TO:<ward@lab.example>\r\nDATA\r\n"},
				{dir: s2c, data: "250 ok\r\n250 ok\r\n250 ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"},
				{dir: c2s, data: "Subject: results MRN00042\r\n\r\nUSER labtech\r\nPASS s3cret\r\nAUTH PLAIN " + b64("\x00jdoe\x00hunter2") + "\r\n.\r\n"},
				{dir: s2c, data: "250 queued\r\n"},
				{dir: c2s, data: "QUIT\r\n"},
			}},
		{name: "smtp_starttls", port: 25, note: "SMTP STARTTLS accepted: the TLS analyzer reads the ClientHello that follows",
			steps: []step{
				{dir: s2c, data: "220 relay.lab.example ESMTP\r\n"},
				{dir: c2s, data: "EHLO lis\r\nSTARTTLS\r\n"},
				{dir: s2c, data: "250 relay.lab.example\r\n220 2.0.0 Ready to start TLS\r\n"},
				{dir: c2s, data: minimalClientHello},
			}},
		{name: "telnet_login", port: 23, note: "Telnet negotiation, banner, character-at-a-time user name with a backspace, password, shell",
			steps: []step{
				{dir: s2c, data: "\xff\xfd\x18\xff\xfd\x20\xff\xfb\x01\xff\xfb\x03"},
				{dir: c2s, data: "\xff\xfb\x18\xff\xfc\x20\xff\xfd\x01\xff\xfd\x03"},
				{dir: s2c, data: "\xff\xfa\x18\x01\xff\xf0\r\nBusyBox v1.31.1 (Analyzer firmware 4.2)\r\n\r\nanalyzer-07 login: "},
				{dir: c2s, data: "j"}, {dir: s2c, data: "j"},
				{dir: c2s, data: "x"}, {dir: s2c, data: "x"},
				{dir: c2s, data: "\x7f"}, {dir: s2c, data: "\x08 \x08"},
				{dir: c2s, data: "d"}, {dir: s2c, data: "d"},
				{dir: c2s, data: "o"}, {dir: s2c, data: "o"},
				{dir: c2s, data: "e"}, {dir: s2c, data: "e"},
				{dir: c2s, data: "\r\x00"}, {dir: s2c, data: "\r\nPassword: "},
				{dir: c2s, data: "hunter2\r\x00"},
				{dir: s2c, data: "\r\n~ # "},
				{dir: c2s, data: "cat /data/MRN00042.txt\r\x00"},
			}},
		{name: "telnet_login_incorrect", port: 23, note: "Telnet line-mode login refused",
			steps: []step{
				{dir: s2c, data: "Lab printer PR-3\r\nUsername: "},
				{dir: c2s, data: "labtech\r\n"},
				{dir: s2c, data: "labtech\r\nPassword: "},
				{dir: c2s, data: "s3cret\r\n"},
				{dir: s2c, data: "\r\nLogin incorrect\r\n"},
			}},
		{name: "gap_and_long_line", port: 110, note: "a gap inside a line, then a line past the cap, then a login",
			steps: []step{
				{dir: s2c, data: "+OK POP3 ready\r\n"},
				{dir: c2s, data: "USER lab"},
				{dir: c2s, gap: 5},
				{dir: c2s, data: "ch\r\nNOOP " + strings.Repeat("x", 5000) + "\r\nUSER jdoe\r\nPASS hunter2\r\n"},
			}},
		{name: "mid_stream_unknown_port", port: 2121, note: "unknown port: the protocol is read from the FTP greeting",
			steps: []step{
				{dir: s2c, data: "220 FileZilla Server 0.9.60 beta\r\n"},
				{dir: c2s, data: "USER labtech\r\nPASS s3cret\r\n"},
				{dir: s2c, data: "331 Password required\r\n230 Logged on\r\n"},
			}},
	}
}
