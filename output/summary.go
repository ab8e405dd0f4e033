package output

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"labwatch/detect"
)

// Summary is the end-of-run report (the --summary contract of DESIGN.md). The
// first eight fields are the contract; the rest add context.
type Summary struct {
	Packets     uint64                       `json:"packets"`
	Bytes       uint64                       `json:"bytes"`
	Flows       uint64                       `json:"flows"`
	Devices     int                          `json:"devices"`
	Messages    map[string]map[string]uint64 `json:"messages"`
	ParseErrors map[string]map[string]uint64 `json:"parse_errors"`
	Alerts      map[string]uint64            `json:"alerts"`
	Dropped     map[string]uint64            `json:"dropped"`

	// Suppressed counts alerts held back by suppression, limits and thresholds.
	Suppressed map[string]uint64 `json:"suppressed,omitempty"`
	// Learning tells whether detection is still in its learning window.
	Learning  bool            `json:"learning"`
	Sensor    string          `json:"sensor"`
	Start     time.Time       `json:"start,omitzero"` // first packet, capture time
	End       time.Time       `json:"end,omitzero"`   // last packet
	Elapsed   float64         `json:"elapsed_seconds"`
	Inputs    []InputProblem  `json:"input_problems,omitempty"`
	Protocols ProtocolSummary `json:"protocols"`
	TCP       TCPSummary      `json:"tcp"`
	Runtime   RuntimeSummary  `json:"runtime"`
	Inventory []detect.Device `json:"device_inventory"`
}

// RuntimeSummary reports the Go runtime's view of the run, for benchmarks.
type RuntimeSummary struct {
	Mallocs       uint64  `json:"mallocs"`
	GCCPUFraction float64 `json:"gc_cpu_fraction"`
	NumGC         uint32  `json:"num_gc"`
	HeapSysBytes  uint64  `json:"heap_sys_bytes"`
}

// InputProblem is a truncated or corrupt input file.
type InputProblem struct {
	File   string `json:"file"`
	Offset int64  `json:"offset"`
	Code   string `json:"code"` // truncated, read_error, over_limit, bad_length, bad_header, rejected
	Reason string `json:"reason"`
}

// ProtocolSummary counts flows by identified protocol.
type ProtocolSummary struct {
	Flows        map[string]uint64 `json:"flows"`
	Unidentified uint64            `json:"unidentified_tcp_flows"`
}

// TCPSummary reports reassembly health.
type TCPSummary struct {
	Gaps         uint64 `json:"gaps"`
	GapBytes     uint64 `json:"gap_bytes"`
	OverlapBytes uint64 `json:"overlap_bytes"`
}

// WriteSummary writes s as indented JSON to path ("-" for stdout), atomically for
// files: a reader never sees half a summary.
func WriteSummary(path string, s *Summary) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("output: summary: %w", err)
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = os.Stdout.Write(b)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".summary-*")
	if err != nil {
		return fmt.Errorf("output: summary: %w", err)
	}
	if _, err = tmp.Write(b); err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("output: summary: %w", err)
	}
	return nil
}

// PrintHuman writes a short report for a person at a terminal.
func PrintHuman(w io.Writer, s *Summary) {
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Packets) / s.Elapsed
	}
	fmt.Fprintf(w, "labwatch: %d packets, %s, %d flows, %d devices in %.2fs (%.0f packets/s)\n",
		s.Packets, HumanBytes(s.Bytes), s.Flows, s.Devices, s.Elapsed, rate)
	if !s.Start.IsZero() {
		fmt.Fprintf(w, "  capture time %s .. %s\n", s.Start.UTC().Format(time.RFC3339), s.End.UTC().Format(time.RFC3339))
	}
	printNested(w, "messages", s.Messages)
	printNested(w, "parse errors", s.ParseErrors)
	printFlat(w, "alerts", s.Alerts)
	printFlat(w, "dropped", s.Dropped)
	for _, p := range s.Inputs {
		fmt.Fprintf(w, "  input problem: %s at offset %d: %s\n", p.File, p.Offset, p.Reason)
	}
}

func printNested(w io.Writer, title string, m map[string]map[string]uint64) {
	for _, app := range sortedKeys(m) {
		parts := make([]string, 0, len(m[app]))
		for _, k := range sortedKeys(m[app]) {
			parts = append(parts, fmt.Sprintf("%s=%d", k, m[app][k]))
		}
		fmt.Fprintf(w, "  %s %s: %s\n", app, title, strings.Join(parts, " "))
	}
}

func printFlat(w io.Writer, title string, m map[string]uint64) {
	if len(m) == 0 {
		return
	}
	parts := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	fmt.Fprintf(w, "  %s: %s\n", title, strings.Join(parts, " "))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// HumanBytes formats a byte count for people (binary units: KiB, MiB …).
func HumanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
