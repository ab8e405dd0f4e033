package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"labwatch/detect"
	"labwatch/report"
)

// inventoryCmd exports the device inventory for a CMDB: from a summary file
// (--summary) or from a running sensor's /api/devices.
type inventoryCmd struct {
	Format  string        `help:"Output format: csv (header row, one device per row, lists joined with ';'), json, or table (aligned text with every software version, for people)." enum:"csv,json,table" default:"csv"`
	Output  string        `short:"o" help:"Write to FILE instead of standard output." placeholder:"FILE"`
	Timeout time.Duration `help:"Time limit for fetching a URL." default:"30s"`
	Source  string        `arg:"" help:"Summary JSON file, or http(s) URL of a sensor (its /api/devices; user:password@ in the URL for Basic auth)." name:"FILE|URL"`
}

func (c *inventoryCmd) Run() error {
	devices, err := c.load()
	if err != nil {
		return err
	}
	out := io.Writer(os.Stdout)
	if c.Output != "" {
		f, err := os.Create(c.Output)
		if err != nil {
			return fmt.Errorf("inventory: %w", err)
		}
		defer f.Close()
		out = f
	}
	switch c.Format {
	case "json":
		err = report.WriteInventoryJSON(out, devices)
	case "table":
		err = report.WriteInventoryTable(out, devices)
	default:
		err = report.WriteInventoryCSV(out, devices)
	}
	if err != nil {
		return err
	}
	if f, ok := out.(*os.File); ok && c.Output != "" {
		return f.Close()
	}
	return nil
}

func (c *inventoryCmd) load() ([]detect.Device, error) {
	if !strings.HasPrefix(c.Source, "http://") && !strings.HasPrefix(c.Source, "https://") {
		f, err := os.Open(c.Source)
		if err != nil {
			return nil, fmt.Errorf("inventory: %w", err)
		}
		defer f.Close()
		return report.ReadInventory(f)
	}
	u, err := url.Parse(c.Source)
	if err != nil {
		return nil, fmt.Errorf("inventory: bad URL")
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/api/devices"
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("inventory: bad URL")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("inventory: %s: %w", u.Redacted(), unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("inventory: %s: %s", u.Redacted(), resp.Status)
	}
	return report.ReadInventory(resp.Body)
}

// unwrapURLError drops the URL (which may hold a password) from a client error.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
