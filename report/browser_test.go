package report

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// findBrowser returns a headless-capable Chromium, or "" when none is installed
// (LABWATCH_CHROMIUM names one explicitly).
func findBrowser() string {
	if p := os.Getenv("LABWATCH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromium runs the browser headless on target with extra arguments and returns
// its standard output. Network services the browser would contact on its own
// are off; the page itself has no way to fetch anything.
func chromium(t *testing.T, browser, target string, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + t.TempDir(), "--window-size=1280,2200",
	}, extra...)
	args = append(args, target)
	out, err := exec.CommandContext(ctx, browser, args...).Output()
	require.NoError(t, err, "chromium %v", extra)
	return string(out)
}

var reStatus = regexp.MustCompile(`<span id="js-status">([^<]*)</span>`)

// checkDOM checks the page after its script ran: the status line the script
// writes, and the counts of rows, map elements and timeline dots.
func checkDOM(t *testing.T, dom string, d *Data) {
	t.Helper()
	require.Contains(t, dom, `data-ready="1"`, "the page script ran")
	m := reStatus.FindStringSubmatch(dom)
	require.NotNil(t, m)
	got := factsOf(dom)
	want := fmt.Sprintf("ready: %d devices, %d map nodes, %d map edges, %d timeline alerts",
		len(d.Summary.Inventory), got.MapNodes, len(d.Edges), len(d.Alerts))
	assert.Equal(t, want, m[1])
	assert.Equal(t, len(d.Summary.Inventory), got.DeviceRows)
	assert.Equal(t, len(d.Alerts), got.AlertRows)
	assert.Positive(t, got.MapPHIEdges)
	assert.Positive(t, got.VolumeCharts)
}

func TestBrowserRendersReportAndLiveView(t *testing.T) {
	browser := findBrowser()
	if browser == "" {
		t.Skip("no Chromium installed (Debian: apt-get install chromium)")
	}
	d, _ := runDemo(t, demoOptions())
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	f, err := os.Create(file)
	require.NoError(t, err)
	require.NoError(t, WriteHTML(f, d))
	require.NoError(t, f.Close())
	url := "file://" + file

	t.Run("report file", func(t *testing.T) {
		checkDOM(t, chromium(t, browser, url, "--dump-dom"), d)
	})

	t.Run("filters from the link", func(t *testing.T) {
		phi := 0
		for _, a := range d.Alerts {
			if a.Type == "cleartext_phi" {
				phi++
			}
		}
		dom := chromium(t, browser, url+"#type=cleartext_phi&sev=info&q=lis01", "--dump-dom")
		assert.Contains(t, dom, fmt.Sprintf(`<span id="alert-count">%d</span>`, phi))
		assert.Contains(t, dom, `<span id="device-count">1</span>`)
		assert.Equal(t, len(d.Alerts)-phi, strings.Count(dom, `class="alert sev-medium hidden"`)+
			strings.Count(dom, `class="alert sev-low hidden"`)+strings.Count(dom, `class="alert sev-high hidden"`)+
			strings.Count(dom, `class="alert sev-critical hidden"`)+strings.Count(dom, `class="alert sev-info hidden"`))
	})

	t.Run("live view", func(t *testing.T) {
		srv := httptest.NewServer(Handler(func() *Data { return d }, AuthConfig{}, Config{}))
		defer srv.Close()
		checkDOM(t, chromium(t, browser, srv.URL+"/", "--dump-dom"), d)
	})

	t.Run("screenshot", func(t *testing.T) {
		shot := filepath.Join(dir, "report.png")
		chromium(t, browser, url, "--screenshot="+shot)
		st, err := os.Stat(shot)
		require.NoError(t, err)
		assert.Greater(t, st.Size(), int64(10_000), "a rendered page, not a blank one")
		if keep := os.Getenv("LABWATCH_SCREENSHOT_DIR"); keep != "" {
			b, err := os.ReadFile(shot)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(keep, "report.png"), b, 0o644))
		}
		t.Logf("screenshot: %s", shot)
	})
}
