package report

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// issue makes a certificate for name signed by parent (self-signed when nil).
func issue(t *testing.T, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey, []byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: isCA, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

func TestTLSRequiresClientCertificate(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o600))
		return p
	}
	ca, caKey, caPEM, _ := issue(t, "lab CA", nil, nil, true)
	_, _, srvPEM, srvKey := issue(t, "sensor", ca, caKey, false)
	_, _, cliPEM, cliKey := issue(t, "analyst", ca, caKey, false)

	cfg, err := TLSConfig(write("srv.pem", srvPEM), write("srv.key", srvKey), write("ca.pem", caPEM))
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(Handler(func() *Data { return nil }, AuthConfig{}, Config{}))
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()

	roots := x509.NewCertPool()
	roots.AddCert(ca)
	client := func(certs ...tls.Certificate) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: certs}}}
	}
	_, err = client().Get(srv.URL + "/api/devices")
	assert.Error(t, err, "no client certificate: refused in the handshake")

	pair, err := tls.X509KeyPair(cliPEM, cliKey)
	require.NoError(t, err)
	resp, err := client(pair).Get(srv.URL + "/api/devices")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	_, err = TLSConfig(filepath.Join(dir, "srv.pem"), filepath.Join(dir, "srv.key"), write("bad.pem", []byte("not pem")))
	assert.Error(t, err)
	_, err = TLSConfig(filepath.Join(dir, "missing.pem"), filepath.Join(dir, "srv.key"), "")
	assert.Error(t, err)
}
