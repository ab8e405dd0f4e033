package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
)

func hashHex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func get(t *testing.T, srv *httptest.Server, path, user, pass, method string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestHandler(t *testing.T) {
	d, _ := runDemo(t, demoOptions())
	calls := 0
	src := func() *Data { calls++; return d }
	auth := AuthConfig{User: "analyst", PasswordSHA256: hashHex("s3cret")}
	require.NoError(t, auth.Validate())

	cases := []struct {
		name       string
		auth       AuthConfig
		path       string
		user, pass string
		method     string
		wantStatus int
		wantType   string
	}{
		{"page open", AuthConfig{}, "/", "", "", "GET", 200, "text/html"},
		{"devices open", AuthConfig{}, "/api/devices", "", "", "GET", 200, "application/json"},
		{"alerts open", AuthConfig{}, "/api/alerts", "", "", "GET", 200, "application/json"},
		{"unknown path", AuthConfig{}, "/etc/passwd", "", "", "GET", 404, ""},
		{"read-only", AuthConfig{}, "/api/devices", "", "", "POST", 405, ""},
		{"no credentials", auth, "/", "", "", "GET", 401, ""},
		{"wrong password", auth, "/api/devices", "analyst", "guess", "GET", 401, ""},
		{"wrong user", auth, "/api/devices", "root", "s3cret", "GET", 401, ""},
		{"right credentials", auth, "/api/alerts", "analyst", "s3cret", "GET", 200, "application/json"},
		{"page with credentials", auth, "/", "analyst", "s3cret", "GET", 200, "text/html"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(Handler(src, c.auth, Config{}))
			defer srv.Close()
			resp, body := get(t, srv, c.path, c.user, c.pass, c.method)
			assert.Equal(t, c.wantStatus, resp.StatusCode)
			if c.wantType != "" {
				assert.Contains(t, resp.Header.Get("Content-Type"), c.wantType)
			}
			if c.wantStatus == 401 {
				assert.Contains(t, resp.Header.Get("WWW-Authenticate"), `Basic realm="labwatch"`)
				assert.NotContains(t, body, "device")
			}
			assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
		})
	}
	assert.Positive(t, calls)
}

func TestHandlerAPIBodies(t *testing.T) {
	d, _ := runDemo(t, demoOptions())
	srv := httptest.NewServer(Handler(func() *Data { return d }, AuthConfig{}, Config{Refresh: 15}))
	defer srv.Close()

	_, body := get(t, srv, "/api/devices", "", "", "GET")
	var devices []detect.Device
	require.NoError(t, json.Unmarshal([]byte(body), &devices))
	assert.Len(t, devices, len(d.Summary.Inventory))

	_, body = get(t, srv, "/api/alerts", "", "", "GET")
	var alerts AlertsResponse
	require.NoError(t, json.Unmarshal([]byte(body), &alerts))
	assert.Len(t, alerts.Alerts, len(d.Alerts))

	_, body = get(t, srv, "/", "", "", "GET")
	assert.Contains(t, body, `http-equiv="refresh" content="15"`)
}

func TestHandlerEmptySource(t *testing.T) {
	srv := httptest.NewServer(Handler(func() *Data { return nil }, AuthConfig{}, Config{}))
	defer srv.Close()
	_, body := get(t, srv, "/api/devices", "", "", "GET")
	assert.Equal(t, "[]", strings.TrimSpace(body))
	_, body = get(t, srv, "/api/alerts", "", "", "GET")
	assert.JSONEq(t, `{"alerts":[],"omitted":0}`, body)
	resp, _ := get(t, srv, "/", "", "", "GET")
	assert.Equal(t, 200, resp.StatusCode)
}

func TestAuthConfigValidate(t *testing.T) {
	assert.NoError(t, AuthConfig{}.Validate())
	assert.NoError(t, AuthConfig{User: "a", PasswordSHA256: hashHex("x")}.Validate())
	err := AuthConfig{User: "a", PasswordSHA256: "plain-password"}.Validate()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "plain-password")
}
