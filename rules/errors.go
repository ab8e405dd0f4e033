package rules

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/token"
)

// ErrFileTooLarge is returned by Load for a file above MaxFileBytes.
var ErrFileTooLarge = errors.New("rules: file too large")

// Error is one problem in a rule file, located by file, line and column (1-based;
// 0 when unknown). Rule names the rule id when the problem is inside a rule.
type Error struct {
	File   string
	Line   int
	Column int
	Rule   string
	Msg    string
	// Excerpt is the offending source lines with a caret, for `labwatch rules
	// check`; Error() leaves it out so that logs stay one line.
	Excerpt string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem one Parse found, in file order (at most MaxErrors).
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// errorList collects the problems of one file.
type errorList struct {
	file string
	list Errors
}

// at records a problem at token tk (nil when the position is unknown).
func (l *errorList) at(tk *token.Token, rule, format string, args ...any) *Error {
	if len(l.list) >= MaxErrors {
		return &Error{} // beyond the cap: recorded nowhere
	}
	e := &Error{File: l.file, Rule: rule, Msg: fmt.Sprintf(format, args...)}
	if tk != nil && tk.Position != nil {
		e.Line, e.Column = tk.Position.Line, tk.Position.Column
		e.Excerpt = yaml.FormatErrorWithToken(e.Msg, tk, false, true)
	}
	l.list = append(l.list, e)
	return e
}

// yamlError converts a decoding error of goccy/go-yaml, keeping its position.
func (l *errorList) yamlError(err error) {
	var ye yaml.Error
	if errors.As(err, &ye) {
		l.at(ye.GetToken(), "", "%s", ye.GetMessage()).Excerpt = yaml.FormatError(err, false, true)
		return
	}
	l.at(nil, "", "%v", err)
}

// err returns the problems in file order, or nil.
func (l *errorList) err() error {
	if len(l.list) == 0 {
		return nil
	}
	slices.SortStableFunc(l.list, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return l.list
}
