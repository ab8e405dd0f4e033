package creds

import (
	"encoding/base64"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// writeRawPcap writes a session's data steps as one TCP connection of raw IPv4
// packets (link type RAW) for tshark; gaps are not represented.
func writeRawPcap(t *testing.T, path string, s session) {
	c := prototest.NewTCPCapture(t, path, layers.LinkTypeRaw, s.port, t0)
	defer c.Close()
	for _, st := range s.steps {
		c.Send(st.dir, []byte(st.data))
	}
}

// TestUserNamesAgreeWithTshark compares, per session, the keyed hashes of the
// user names Wireshark's FTP, POP, IMAP and SMTP dissectors read with the
// hashes our login messages carry. The pcap writer is this package's own
// (link type RAW); protocols/http has an Ethernet one for its conversations.
func TestUserNamesAgreeWithTshark(t *testing.T) {
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	for _, s := range sessions() {
		switch s.name {
		case "telnet_login", "telnet_login_incorrect", "gap_and_long_line":
			continue // no Telnet user field; gaps are not in a pcap
		}
		t.Run(s.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), s.name+".pcap")
			writeRawPcap(t, path, s)
			args := []string{"-r", path, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f",
				"-e", "ftp.request.command", "-e", "ftp.request.arg", "-e", "pop.request.command", "-e", "pop.request.parameter",
				"-e", "imap.request.username", "-e", "smtp.auth.username", "-e", "smtp.auth.username_password"}
			if s.port == 2121 {
				args = append(args, "-d", "tcp.port==2121,ftp")
			}
			out, err := exec.Command(bin, args...).Output()
			require.NoError(t, err)
			var theirs []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				f := strings.Split(line, "|")
				if len(f) < 7 {
					continue
				}
				user := ""
				switch {
				case f[0] == "USER" && f[1] != "anonymous":
					user = f[1]
				case f[2] == "USER" || f[2] == "APOP":
					user, _, _ = strings.Cut(f[3], " ")
				case f[4] != "":
					user = strings.Trim(f[4], `"`)
				case f[5] != "": // SMTP AUTH LOGIN, base64 as sent
					b, _ := base64.StdEncoding.DecodeString(f[5])
					user = string(b)
				case f[6] != "": // SMTP AUTH PLAIN, base64 of authzid NUL user NUL password
					b, _ := base64.StdEncoding.DecodeString(f[6])
					if parts := strings.Split(string(b), "\x00"); len(parts) == 3 {
						user = parts[1]
					}
				}
				if user != "" {
					theirs = append(theirs, app.KeyedHash(user))
				}
			}
			rec, _ := play(s.port, s.steps, nil, nil)
			var ours []string
			for _, m := range rec.Msgs {
				// Wireshark's IMAP dissector reads LOGIN, not AUTHENTICATE.
				imapSASL := m.App == ProtoIMAP && strings.HasPrefix(m.Attrs[AttrAuth], "sasl_")
				if m.Type == TypeLogin && m.Attrs[AttrAnonymous] == "" && m.Attrs[AttrUserHash] != "" && !imapSASL {
					ours = append(ours, m.Attrs[AttrUserHash])
				}
			}
			slices.Sort(theirs)
			slices.Sort(ours)
			assert.Equal(t, slices.Compact(theirs), slices.Compact(ours))
		})
	}
}
