package main

import (
	"fmt"
	"io"
	"os"

	"labwatch/trail"
)

// verifyCmd checks the hash chain of an alert file (see package trail).
type verifyCmd struct {
	Head string `help:"Chain head file the sensor saved beside its baseline: also catches the last alerts altered or deleted." type:"existingfile" placeholder:"FILE"`
	File string `arg:"" help:"Alert file written with --alerts (JSON lines)." type:"existingfile" name:"FILE"`
}

func (c *verifyCmd) Run() error { return c.verify(os.Stdout) }

// verify prints "N alerts, chain intact", or returns the first break (main
// prints it and exits 1).
func (c *verifyCmd) verify(stdout io.Writer) error {
	var head *trail.Head
	if c.Head != "" {
		h, err := trail.ReadHead(c.Head)
		if err != nil {
			return err
		}
		head = &h
	}
	f, err := os.Open(c.File)
	if err != nil {
		return err
	}
	defer f.Close()
	var n int
	var brk *trail.Break
	if head != nil {
		n, brk = trail.VerifyHead(f, *head)
	} else {
		n, brk = trail.Verify(f)
	}
	if brk != nil {
		return fmt.Errorf("%s: %w (%d alerts in order before it)", c.File, brk, n)
	}
	fmt.Fprintf(stdout, "%d alerts, chain intact\n", n)
	return nil
}
