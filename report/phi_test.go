package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoPatientValueInAnyView replays the demo capture (fictional patients in
// HL7, ASTM and ZPL traffic) and checks that none of the planted values appears
// in the page, the live page, the JSON API, the CSV or JSON inventory, or an
// error message.
func TestNoPatientValueInAnyView(t *testing.T) {
	d, truth := runDemo(t, demoOptions())
	require.NotEmpty(t, truth.Planted)

	var views strings.Builder
	require.NoError(t, WriteHTML(&views, d))
	var csvOut, jsonOut bytes.Buffer
	require.NoError(t, WriteInventoryCSV(&csvOut, d.Summary.Inventory))
	require.NoError(t, WriteInventoryJSON(&jsonOut, d.Summary.Inventory))
	views.Write(csvOut.Bytes())
	views.Write(jsonOut.Bytes())

	srv := httptest.NewServer(Handler(func() *Data { return d }, AuthConfig{}, Config{}))
	defer srv.Close()
	for _, path := range []string{"/", "/api/devices", "/api/alerts"} {
		resp, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		views.Write(b)
	}
	// What the page was built from, in full, and the errors a bad input gives.
	fmt.Fprintf(&views, "%+v", *d)
	for _, bad := range truth.Planted {
		_, err := ReadInventory(strings.NewReader(`{"device_inventory":[` + bad))
		require.Error(t, err)
		views.WriteString(err.Error())
		b, _ := json.Marshal(bad)
		_, err = ReadInventory(strings.NewReader(`{"device_inventory":` + string(b) + `}`))
		require.Error(t, err)
		views.WriteString(err.Error())
	}

	out := views.String()
	assert.Contains(t, out, "LIS^GENLAB", "wire identities reach the views: the check below can see a leak")
	for _, v := range truth.Planted {
		assert.NotContains(t, out, v, "planted patient value in a view")
	}
}

// TestPageShowsNoAlertDetails: alert details are for the SIEM; the page shows
// the summary sentence only, so a detail a future detector fills carelessly
// cannot reach the page.
func TestPageShowsNoAlertDetails(t *testing.T) {
	d, _ := runDemo(t, demoOptions())
	require.NotEmpty(t, d.Alerts)
	d.Alerts[0].Details = map[string]any{"note": "DOE^JANE 1970-01-01"}
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, d))
	assert.NotContains(t, b.String(), "DOE^JANE")
}
