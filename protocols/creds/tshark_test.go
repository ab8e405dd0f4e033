package creds

import (
	"encoding/base64"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
)

// writeRawPcap writes a session's data steps as one TCP connection of raw IPv4
// packets (link type RAW) for tshark; gaps are not represented.
func writeRawPcap(t *testing.T, path string, s session) {
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	w := pcapgo.NewWriter(f)
	require.NoError(t, w.WriteFileHeader(65535, layers.LinkTypeRaw))
	ips := [2]net.IP{net.IPv4(10, 40, 1, 22), net.IPv4(10, 40, 1, 5)}
	ports := [2]layers.TCPPort{51515, layers.TCPPort(s.port)}
	seq := [2]uint32{1000, 5000}
	ts := t0
	send := func(dir app.Direction, syn bool, payload []byte) {
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ips[dir], DstIP: ips[dir^1]}
		tcp := &layers.TCP{SrcPort: ports[dir], DstPort: ports[dir^1], Seq: seq[dir], Ack: seq[dir^1], Window: 65535,
			SYN: syn, ACK: !syn || dir == s2c}
		require.NoError(t, tcp.SetNetworkLayerForChecksum(ip))
		buf := gopacket.NewSerializeBuffer()
		require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			ip, tcp, gopacket.Payload(payload)))
		ts = ts.Add(time.Millisecond)
		require.NoError(t, w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}, buf.Bytes()))
		seq[dir] += uint32(len(payload))
		if syn {
			seq[dir]++
		}
	}
	send(c2s, true, nil)
	send(s2c, true, nil)
	for _, st := range s.steps {
		if st.data != "" {
			send(st.dir, false, []byte(st.data))
		}
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
			for _, m := range rec.msgs {
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
