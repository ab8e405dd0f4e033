package rules

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// File is everything one rule file declares: rules, and suppression, limit and
// threshold entries for alerts. Every section is optional.
type File struct {
	Rules      *Set
	Suppressor *Suppressor
}

// The YAML shape of a rule file (see doc.go). Decoding is strict: an unknown
// field is an error with its line.
type fileDoc struct {
	Rules     []ruleDoc  `yaml:"rules"`
	Suppress  []matchDoc `yaml:"suppress"`
	Limit     []limitDoc `yaml:"limit"`
	Threshold []limitDoc `yaml:"threshold"`
}

type ruleDoc struct {
	ID          string        `yaml:"id"`
	Description string        `yaml:"description"`
	Expression  string        `yaml:"expression"`
	Severity    string        `yaml:"severity"`
	Threshold   *thresholdDoc `yaml:"threshold"`
}

type thresholdDoc struct {
	Count  int    `yaml:"count"`
	Window string `yaml:"window"` // a Go duration: "10m", "1h"
	By     string `yaml:"by"`
}

// matchDoc selects alerts: every field given must match.
type matchDoc struct {
	Type   string `yaml:"type"`
	RuleID string `yaml:"rule_id"`
	Device string `yaml:"device"` // an address or a CIDR
	Peer   string `yaml:"peer"`
}

// limitDoc is a limit or threshold entry: what it selects, and its counting.
type limitDoc struct {
	Type   string `yaml:"type"`
	RuleID string `yaml:"rule_id"`
	Device string `yaml:"device"`
	Peer   string `yaml:"peer"`
	Count  int    `yaml:"count"`
	Window string `yaml:"window"`
	By     string `yaml:"by"`
}

func (d *limitDoc) selector() matchDoc {
	return matchDoc{Type: d.Type, RuleID: d.RuleID, Device: d.Device, Peer: d.Peer}
}

// Load reads and compiles the rules of a rule file; suppression entries in it are
// validated too (LoadFile returns both).
func Load(path string) (*Set, error) {
	f, err := LoadFile(path)
	if err != nil {
		return nil, err
	}
	return f.Rules, nil
}

// Parse compiles the rules of data, naming the file name in errors.
func Parse(data []byte, name string) (*Set, error) {
	f, err := ParseFile(data, name)
	if err != nil {
		return nil, err
	}
	return f.Rules, nil
}

// LoadSuppression reads the suppress, limit and threshold entries of a rule file;
// its rules are validated too.
func LoadSuppression(path string) (*Suppressor, error) {
	f, err := LoadFile(path)
	if err != nil {
		return nil, err
	}
	return f.Suppressor, nil
}

// LoadFile reads a rule file of at most MaxFileBytes.
func LoadFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", path, err)
	}
	return ParseFile(data, path)
}

// ParseFile parses and compiles a whole rule file. The error, when not nil, is an
// Errors listing every problem found with its file, line and rule id.
func ParseFile(data []byte, name string) (f *File, err error) {
	errs := &errorList{file: name}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%w: %s is over %d bytes", ErrFileTooLarge, name, MaxFileBytes)
	}
	defer func() {
		// The YAML library is not ours to trust with hostile input.
		if r := recover(); r != nil {
			errs.at(nil, "", "unreadable YAML")
			f, err = nil, errs.err()
		}
	}()
	tree, perr := parser.ParseBytes(data, 0)
	if perr != nil {
		errs.yamlError(perr)
		return nil, errs.err()
	}
	var doc fileDoc
	switch {
	case len(tree.Docs) > 1:
		tk := tree.Docs[1].Start // the "---" that opens the second document
		if tk == nil {
			tk = tree.Docs[1].GetToken()
		}
		errs.at(tk, "", "one YAML document per file")
		return nil, errs.err()
	case len(tree.Docs) == 1 && tree.Docs[0].Body != nil:
		if derr := yaml.NodeToValue(tree.Docs[0].Body, &doc, yaml.Strict()); derr != nil {
			errs.yamlError(derr)
			return nil, errs.err()
		}
	}
	b := builder{errs: errs, loc: locator{tree}}
	rules := b.rules(doc.Rules)
	sup := b.suppressor(&doc)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return &File{Rules: newSet(rules), Suppressor: sup}, nil
}

// locator finds the YAML token of a path, to give semantic errors a line.
type locator struct{ file *ast.File }

// at returns the token of field ("threshold.count") in entry i of section. When
// the field is absent it falls back to its parent, then to the entry's first key.
func (l locator) at(section string, i int, field string) *token.Token {
	path := fmt.Sprintf("$.%s[%d]", section, i)
	if field != "" {
		path += "." + field
	}
	for {
		if tk := l.token(path); tk != nil {
			return tk
		}
		cut := strings.LastIndexByte(path, '.')
		if cut <= 1 {
			return nil
		}
		path = path[:cut]
	}
}

func (l locator) token(path string) *token.Token {
	p, err := yaml.PathString(path)
	if err != nil {
		return nil
	}
	n, err := p.FilterFile(l.file)
	if err != nil || n == nil {
		return nil
	}
	// A mapping is best shown at its first key.
	switch m := n.(type) {
	case *ast.MappingNode:
		if len(m.Values) > 0 {
			return m.Values[0].Key.GetToken()
		}
	case *ast.MappingValueNode:
		return m.Key.GetToken()
	}
	return n.GetToken()
}
