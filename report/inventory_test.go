package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/detect"
	"labwatch/output"
)

func sampleDevices() []detect.Device {
	ts := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	return []detect.Device{
		{IP: "10.40.1.10", MAC: "02:4c:57:00:01:0a", Name: "lis01", Role: "lis", Trusted: true,
			FirstSeen: ts, LastSeen: ts.Add(time.Hour), BytesOut: 100, BytesIn: 200, Flows: 3,
			PortsServed: map[string]uint64{"tcp/2575": 2, "tcp/5000": 1}, Messages: map[string]uint64{"hl7": 4, "astm": 1},
			Identities: []string{"hl7 sender LIS^GENLAB", "astm device LIS"}},
		{IP: "10.40.2.11", Identities: []string{"=HYPERLINK(\"x\")"}},
	}
}

func TestReadInventory(t *testing.T) {
	devs := sampleDevices()
	sum, err := json.Marshal(&output.Summary{Inventory: devs})
	require.NoError(t, err)
	list, err := json.Marshal(devs)
	require.NoError(t, err)
	cases := []struct {
		name    string
		in      string
		want    int
		wantErr string
	}{
		{"summary", string(sum), 2, ""},
		{"device list", "  " + string(list), 2, ""},
		{"empty list", "[]", 0, ""},
		{"summary without inventory", `{"packets":1}`, 0, "no device_inventory"},
		{"garbage", `{"device_inventory": [{"ip": 12}]}`, 0, "wrong type"},
		{"syntax", `{"device_inventory": [SMITH^JOHN`, 0, "syntax error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadInventory(strings.NewReader(c.in))
			if c.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.wantErr)
				assert.NotContains(t, err.Error(), "SMITH", "errors never quote the input")
				return
			}
			require.NoError(t, err)
			assert.Len(t, got, c.want)
		})
	}
}

func TestWriteInventoryCSV(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteInventoryCSV(&b, sampleDevices()))
	rows, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, inventoryColumns, rows[0])
	col := func(name string) int {
		for i, c := range inventoryColumns {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	lis := rows[1]
	assert.Equal(t, "10.40.1.10", lis[col("ip")])
	assert.Equal(t, "hl7 sender LIS^GENLAB;astm device LIS", lis[col("identities")])
	assert.Equal(t, "astm;hl7", lis[col("protocols")])
	assert.Equal(t, "tcp/2575=2;tcp/5000=1", lis[col("ports_served")])
	assert.Equal(t, "5", lis[col("messages")])
	assert.Equal(t, "2026-03-02T08:00:00Z", lis[col("first_seen")])
	assert.Equal(t, `'=HYPERLINK("x")`, rows[2][col("identities")], "formulas are defused")
}

func TestWriteInventoryJSON(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, WriteInventoryJSON(&b, sampleDevices()))
	got, err := ReadInventory(&b)
	require.NoError(t, err)
	assert.Equal(t, sampleDevices(), got)

	b.Reset()
	require.NoError(t, WriteInventoryJSON(&b, nil))
	assert.Equal(t, "[]", strings.TrimSpace(b.String()))
}
