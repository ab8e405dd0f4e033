package output

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// rsyslog is a real rsyslogd in the foreground on loopback high ports, started by
// the test with its own config, pid file and work directory, writing every
// received message raw (%rawmsg%) as one line of one file.
type rsyslog struct {
	t                         *testing.T
	bin, dir, conf, out       string
	udpPort, tcpPort, tlsPort int
	certs                     testCerts
	cmd                       *exec.Cmd
	done                      chan struct{}
}

func rsyslogBinary(t *testing.T) string {
	if testing.Short() {
		t.Skip("rsyslog integration test skipped in -short mode")
	}
	bin, err := exec.LookPath("rsyslogd")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/rsyslogd"); serr != nil {
			t.Skip("rsyslogd not installed (apt-get install rsyslog rsyslog-gnutls)")
		}
		bin = "/usr/sbin/rsyslogd"
	}
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so"); err != nil {
		if matches, _ := filepath.Glob("/usr/lib/*/rsyslog/lmnsd_gtls.so"); len(matches) == 0 {
			t.Skip("rsyslog-gnutls not installed")
		}
	}
	return bin
}

func newRsyslog(t *testing.T) *rsyslog {
	r := &rsyslog{t: t, bin: rsyslogBinary(t), dir: t.TempDir()}
	r.out = filepath.Join(r.dir, "received.log")
	r.certs = makeCerts(t, r.dir)
	r.udpPort, r.tcpPort, r.tlsPort = freeUDPPort(t), freeTCPPort(t), freeTCPPort(t)
	r.conf = filepath.Join(r.dir, "rsyslog.conf")
	conf := fmt.Sprintf(`global(workDirectory=%[1]q maxMessageSize="64k"
  parser.escapeControlCharactersOnReceive="off"
  defaultNetstreamDriverCAFile=%[2]q defaultNetstreamDriverCertFile=%[3]q defaultNetstreamDriverKeyFile=%[4]q)
module(load="imudp")
module(load="imptcp")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="x509/certvalid")
input(type="imudp" address="127.0.0.1" port="%[5]d")
input(type="imptcp" address="127.0.0.1" port="%[6]d")
input(type="imtcp" address="127.0.0.1" port="%[7]d")
template(name="raw" type="string" string="%%rawmsg%%\n")
action(type="omfile" file=%[8]q template="raw" flushOnTXEnd="on" asyncWriting="off")
`, r.dir, r.certs.ca, r.certs.serverCert, r.certs.serverKey, r.udpPort, r.tcpPort, r.tlsPort, r.out)
	require.NoError(t, os.WriteFile(r.conf, []byte(conf), 0o600))
	r.start()
	t.Cleanup(r.kill)
	return r
}

func (r *rsyslog) start() {
	r.cmd = exec.Command(r.bin, "-n", "-f", r.conf, "-i", filepath.Join(r.dir, "rsyslogd.pid"))
	r.cmd.Dir = r.dir
	var stderr strings.Builder
	r.cmd.Stderr = &stderr
	r.cmd.Stdout = &stderr
	require.NoError(r.t, r.cmd.Start())
	r.done = make(chan struct{})
	go func() { _ = r.cmd.Wait(); close(r.done) }()
	deadline := time.Now().Add(10 * time.Second)
	for _, port := range []int{r.tcpPort, r.tlsPort} {
		for {
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
			if err == nil {
				_ = c.Close()
				break
			}
			select {
			case <-r.done:
				r.t.Fatalf("rsyslogd exited: %s", stderr.String())
			default:
			}
			if time.Now().After(deadline) {
				r.t.Fatalf("rsyslogd not listening: %s", stderr.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	time.Sleep(100 * time.Millisecond) // imudp starts alongside; give it a beat
}

// kill stops rsyslogd with SIGKILL, the crash the fault tests want.
func (r *rsyslog) kill() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	<-r.done
	r.cmd = nil
}

func (r *rsyslog) url(scheme string) string {
	port := map[string]int{"udp": r.udpPort, "tcp": r.tcpPort, "tls": r.tlsPort}[scheme]
	return fmt.Sprintf("%s://127.0.0.1:%d", scheme, port)
}

// lines returns the received messages so far.
func (r *rsyslog) lines() []string {
	f, err := os.Open(r.out)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

func freeTCPPort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func freeUDPPort(t *testing.T) int {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port
}

// testCerts are PEM files made fresh for each test; no key is ever committed.
type testCerts struct {
	ca, serverCert, serverKey, clientCert, clientKey string
}

func makeCerts(t *testing.T, dir string) testCerts {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "labwatch test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	caCert, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	c := testCerts{ca: writePEM(t, dir, "ca.pem", "CERTIFICATE", caDER)}
	leaf := func(name string, serial int64, usage x509.ExtKeyUsage) (string, string) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			DNSNames: []string{name}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		require.NoError(t, err)
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		require.NoError(t, err)
		return writePEM(t, dir, name+".pem", "CERTIFICATE", der), writePEM(t, dir, name+".key", "PRIVATE KEY", keyDER)
	}
	c.serverCert, c.serverKey = leaf("localhost", 2, x509.ExtKeyUsageServerAuth)
	c.clientCert, c.clientKey = leaf("sensor1", 3, x509.ExtKeyUsageClientAuth)
	return c
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
	return path
}
