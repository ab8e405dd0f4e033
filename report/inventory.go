package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"labwatch/detect"
)

// MaxInventoryBytes caps what ReadInventory reads (a summary or an API answer).
const MaxInventoryBytes = 64 << 20

// ReadInventory reads devices from a summary JSON (its device_inventory) or
// from a JSON array of devices (/api/devices).
func ReadInventory(r io.Reader) ([]detect.Device, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInventoryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("report: inventory: %w", err)
	}
	if len(b) > MaxInventoryBytes {
		return nil, fmt.Errorf("report: inventory: input over %d bytes", MaxInventoryBytes)
	}
	b = bytes.TrimSpace(b)
	var devices []detect.Device
	if len(b) > 0 && b[0] == '[' {
		err = json.Unmarshal(b, &devices)
	} else {
		var sum struct {
			Inventory *[]detect.Device `json:"device_inventory"`
		}
		err = json.Unmarshal(b, &sum)
		if err == nil && sum.Inventory == nil {
			return nil, fmt.Errorf("report: inventory: no device_inventory in the input (want a summary or /api/devices)")
		}
		if sum.Inventory != nil {
			devices = *sum.Inventory
		}
	}
	if err != nil {
		// The decoder's message may quote input; say where only.
		return nil, fmt.Errorf("report: inventory: not a summary or device list (%s)", jsonErrorPlace(err))
	}
	return devices, nil
}

func jsonErrorPlace(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("syntax error at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("wrong type for field %q at byte %d", e.Field, e.Offset)
	}
	return "malformed JSON"
}

// inventoryColumns is the CSV header, one device per row.
var inventoryColumns = []string{
	"ip", "mac", "name", "role", "trusted", "identities", "software", "protocols", "ports_served", "ports_used",
	"bytes_out", "bytes_in", "packets_out", "packets_in", "flows", "messages", "first_seen", "last_seen",
}

// WriteInventoryCSV writes a header row and one row per device; lists are
// joined with ';'. Cells that a spreadsheet would run as a formula are
// prefixed with a quote.
func WriteInventoryCSV(w io.Writer, devices []detect.Device) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(inventoryColumns); err != nil {
		return fmt.Errorf("report: inventory: %w", err)
	}
	for i := range devices {
		d := &devices[i]
		var msgs uint64
		for _, n := range d.Messages {
			msgs += n
		}
		row := []string{
			d.IP, d.MAC, d.Name, d.Role, fmt.Sprint(d.Trusted), strings.Join(d.Identities, ";"),
			strings.Join(softwareList(d.Software), ";"), strings.Join(sortedKeys(d.Messages), ";"), countList(d.PortsServed), countList(d.PortsUsed),
			fmt.Sprint(d.BytesOut), fmt.Sprint(d.BytesIn), fmt.Sprint(d.PacketsOut), fmt.Sprint(d.PacketsIn),
			fmt.Sprint(d.Flows), fmt.Sprint(msgs), csvTime(d.FirstSeen), csvTime(d.LastSeen),
		}
		for j := range row {
			row[j] = defuseFormula(row[j])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("report: inventory: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: inventory: %w", err)
	}
	return nil
}

// WriteInventoryJSON writes the devices as an indented JSON array.
func WriteInventoryJSON(w io.Writer, devices []detect.Device) error {
	if devices == nil {
		devices = []detect.Device{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(devices); err != nil {
		return fmt.Errorf("report: inventory: %w", err)
	}
	return nil
}

// countList writes "tcp/2575=20;tcp/5000=3", sorted by key.
func countList(m map[string]uint64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(keys, ";")
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// defuseFormula keeps a wire-supplied identity such as "=HYPERLINK(...)" from
// running as a formula when the CSV is opened in a spreadsheet.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// softwareList renders a device's software identities as "app kind: value", the
// form a biomed engineer checks against vendor advisories.
func softwareList(sw []detect.SoftwareIdentity) []string {
	out := make([]string, 0, len(sw))
	for _, s := range sw {
		item := s.App + " " + s.Kind
		if s.Context != "" {
			item += " (" + s.Context + ")"
		}
		out = append(out, item+": "+s.Value)
	}
	return out
}

// WriteInventoryTable writes the devices as an aligned text table for a person:
// address, name and role, and every software version seen.
func WriteInventoryTable(w io.Writer, devices []detect.Device) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IP\tMAC\tNAME\tROLE\tSOFTWARE")
	for i := range devices {
		d := &devices[i]
		sw := softwareList(d.Software)
		if len(sw) == 0 {
			sw = []string{"-"}
		}
		for j, item := range sw {
			if j == 0 {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.IP, dash(d.MAC), dash(d.Name), dash(d.Role), item)
			} else {
				fmt.Fprintf(tw, "\t\t\t\t%s\n", item)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("report: inventory: %w", err)
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
