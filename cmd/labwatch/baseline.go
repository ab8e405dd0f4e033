package main

import (
	"encoding/json"
	"os"

	"labwatch/detect"
)

// baselineCmd groups the commands that inspect learned baselines.
type baselineCmd struct {
	Show baselineShowCmd `cmd:"" help:"Print what a baseline file learned, per device."`
}

type baselineShowCmd struct {
	JSON bool   `help:"Print the baseline as JSON instead of text."`
	File string `arg:"" help:"Baseline file written with --baseline." type:"existingfile" name:"FILE"`
}

func (c *baselineShowCmd) Run() error {
	bf, err := detect.ReadBaseline(c.File)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(bf)
	}
	return bf.WriteText(os.Stdout)
}
