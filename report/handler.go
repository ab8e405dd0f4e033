package report

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"labwatch/detect"
)

// AuthConfig protects the live views. With User empty the views are open (bind
// them to a management address, or require client certificates in the server's
// TLS config). PasswordSHA256 is the hex SHA-256 of the password, so that the
// configuration file does not hold the password itself.
type AuthConfig struct {
	User           string
	PasswordSHA256 string
	Realm          string
}

// Validate reports a password hash that is not 64 hex digits.
func (a AuthConfig) Validate() error {
	if a.User == "" {
		return nil
	}
	if b, err := hex.DecodeString(a.PasswordSHA256); err != nil || len(b) != sha256.Size {
		return fmt.Errorf("report: auth: password_sha256 must be 64 hex digits")
	}
	return nil
}

// AlertsResponse is the body of /api/alerts.
type AlertsResponse struct {
	Alerts  []detect.Alert `json:"alerts"`
	Omitted uint64         `json:"omitted"`
}

// Handler serves the live views, read-only: "/" the report page (reloaded every
// cfg.Refresh seconds), "/api/devices" the inventory and "/api/alerts" the
// kept alerts as JSON. src is called once per request for fresh data.
func Handler(src func() *Data, auth AuthConfig, cfg Config) http.Handler {
	cfg = cfg.withDefaults()
	if cfg.Refresh == 0 {
		cfg.Refresh = 30
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := WriteHTMLConfig(w, src(), cfg); err != nil {
			http.Error(w, "report: rendering failed", http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("/api/devices", func(w http.ResponseWriter, r *http.Request) {
		devices := []detect.Device{}
		if d := src(); d != nil && d.Summary != nil && d.Summary.Inventory != nil {
			devices = d.Summary.Inventory
		}
		writeJSON(w, devices)
	})
	mux.HandleFunc("/api/alerts", func(w http.ResponseWriter, r *http.Request) {
		resp := AlertsResponse{Alerts: []detect.Alert{}}
		if d := src(); d != nil && d.Alerts != nil {
			resp.Alerts, resp.Omitted = d.Alerts, d.AlertsOmitted
		}
		writeJSON(w, resp)
	})
	return readOnly(withAuth(auth, mux))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	_ = enc.Encode(v) // the client went away: nothing to do
}

// readOnly refuses every method but GET and HEAD and sets headers that keep
// the page from being framed or sniffed.
func readOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "read-only", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// withAuth requires HTTP Basic credentials when a user is configured. Both the
// user and the password hash are compared in constant time.
func withAuth(a AuthConfig, next http.Handler) http.Handler {
	if a.User == "" {
		return next
	}
	wantUser := sha256.Sum256([]byte(a.User))
	wantPass, _ := hex.DecodeString(strings.ToLower(a.PasswordSHA256))
	realm := a.Realm
	if realm == "" {
		realm = "labwatch"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		gotUser := sha256.Sum256([]byte(user))
		gotPass := sha256.Sum256([]byte(pass))
		userOK := subtle.ConstantTimeCompare(gotUser[:], wantUser[:])
		passOK := subtle.ConstantTimeCompare(gotPass[:], wantPass)
		if !ok || userOK&passOK != 1 {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q, charset=\"UTF-8\"", realm))
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
