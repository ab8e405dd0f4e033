package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"labwatch/rules"
)

// rulesCmd groups the rule-file tools.
type rulesCmd struct {
	Check   rulesCheckCmd   `cmd:"" help:"Validate a rule file: print 'N rules OK', or file:line: message for each problem and exit 1."`
	Default rulesDefaultCmd `cmd:"" help:"Print the default rule set shipped in the binary (a starting point for a rule file)."`
}

type rulesCheckCmd struct {
	Source bool   `help:"Show the offending source lines under each problem."`
	File   string `arg:"" help:"Rule file (YAML: rules, suppress, limit, threshold)." name:"FILE"`
}

func (c *rulesCheckCmd) Run() error { return c.check(os.Stdout, os.Stderr) }

// check prints a summary of a valid file, or every problem of an invalid one; the
// returned error only makes the exit status.
func (c *rulesCheckCmd) check(stdout, stderr io.Writer) error {
	f, err := rules.LoadFile(c.File)
	if err == nil {
		fmt.Fprintf(stdout, "%d rules OK\n", f.Rules.Len())
		if n := f.Suppressor.Len(); n > 0 {
			fmt.Fprintf(stdout, "%d suppression entries OK\n", n)
		}
		return nil
	}
	var list rules.Errors
	if !errors.As(err, &list) {
		return err // unreadable file: main prints it
	}
	for _, e := range list {
		fmt.Fprintln(stderr, e.Error())
		if c.Source && e.Excerpt != "" {
			fmt.Fprintln(stderr, e.Excerpt)
		}
	}
	return fmt.Errorf("rules check: %d problem(s) in %s", len(list), c.File)
}

type rulesDefaultCmd struct{}

func (rulesDefaultCmd) Run() error {
	_, err := os.Stdout.Write(rules.DefaultYAML())
	return err
}
