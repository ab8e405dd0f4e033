package rules

import (
	"cmp"
	"fmt"
	"time"

	"github.com/goccy/go-yaml/token"

	"labwatch/detect"
)

// builder checks and compiles the decoded sections of one file, recording every
// problem with its position.
type builder struct {
	errs *errorList
	loc  locator
}

func (b *builder) rules(docs []ruleDoc) []*compiledRule {
	if len(docs) > MaxRules {
		b.errs.at(b.loc.at("rules", MaxRules, ""), "", "more than %d rules", MaxRules)
		return nil
	}
	seen := make(map[string]bool, len(docs))
	out := make([]*compiledRule, 0, len(docs))
	for i := range docs {
		if r := b.rule(i, &docs[i], seen); r != nil {
			out = append(out, r)
		}
	}
	return out
}

// rule checks one rule; nil when it has a problem (already recorded).
func (b *builder) rule(i int, d *ruleDoc, seen map[string]bool) *compiledRule {
	at := func(field, format string, args ...any) {
		b.errs.at(b.loc.at("rules", i, field), d.ID, format, args...)
	}
	ok := true
	switch {
	case !validID(d.ID):
		at("id", "id: want 1 to 64 letters, digits, '.', '_' or '-'")
		ok = false
	case seen[d.ID]:
		at("id", "id: duplicate")
		ok = false
	}
	seen[d.ID] = true
	sev := detect.Severity(d.Severity)
	if !validSeverity(sev) {
		at("severity", "severity: want info, low, medium, high or critical")
		ok = false
	}
	var th *Threshold
	if d.Threshold != nil {
		t := d.Threshold
		th = &Threshold{Count: t.Count, By: cmp.Or(t.By, BySrc)}
		var good bool
		th.Window, good = b.counting("rules", i, "threshold.", d.ID, th.Count, t.Window, th.By, true)
		ok = good && ok
	}
	var r *compiledRule
	switch {
	case d.Expression == "":
		at("expression", "expression: missing")
		ok = false
	case len(d.Expression) > MaxExprLen:
		at("expression", "expression: longer than %d bytes", MaxExprLen)
		ok = false
	default:
		program, msg, line, col := compileExpr(d.Expression)
		if program == nil {
			tk := b.loc.at("rules", i, "expression")
			e := b.errs.at(tk, d.ID, "expression: %s", msg)
			if line > 0 {
				e.Msg += exprPosition(line, col)
				e.Line, e.Column = fileLine(tk, e.Line, e.Column, line, col)
			}
			ok = false
			break
		}
		r = &compiledRule{program: program, apps: appGuard(d.Expression)}
	}
	if !ok {
		return nil
	}
	r.Rule = Rule{ID: d.ID, Description: d.Description, Expr: d.Expression, Severity: sev, Threshold: th}
	if tk := b.loc.at("rules", i, ""); tk != nil && tk.Position != nil {
		r.line = tk.Position.Line
	}
	if th != nil {
		r.counts = newWindows(th.Window, MaxKeys)
	}
	return r
}

// exprPosition says where in a (possibly multi-line) expression an error is.
func exprPosition(line, col int) string {
	if line > 1 {
		return fmt.Sprintf(" (expression line %d, column %d)", line, col)
	}
	return fmt.Sprintf(" (expression column %d)", col)
}

// fileLine turns a position inside an expression into one in the file: a block
// scalar (| or >) starts on the line after its indicator; a one-line plain scalar
// shifts the column.
func fileLine(tk *token.Token, line, col, exprLine, exprCol int) (int, int) {
	if tk == nil || line == 0 {
		return line, col
	}
	switch tk.Type {
	case token.LiteralType, token.FoldedType:
		return line + exprLine, 0
	case token.StringType:
		if exprLine == 1 {
			return line, col + exprCol - 1
		}
	}
	return line, col
}

// counting checks the count, window and by of a threshold or limit entry and
// returns the window.
func (b *builder) counting(section string, i int, prefix, rule string, count int, windowText, by string, needWindow bool) (time.Duration, bool) {
	ok := true
	at := func(field, format string, args ...any) {
		b.errs.at(b.loc.at(section, i, prefix+field), rule, format, args...)
		ok = false
	}
	if count <= 0 {
		at("count", "%scount: must be positive", prefix)
	}
	var window time.Duration
	if windowText != "" {
		var err error
		window, err = time.ParseDuration(windowText)
		if err != nil || window <= 0 || window > MaxWindow {
			at("window", "%swindow: want a duration such as 10m or 1h, up to %s", prefix, MaxWindow)
		}
	} else if needWindow {
		at("window", "%swindow: missing", prefix)
	}
	if !validBy(by) {
		at("by", "%sby: want src, dst or pair", prefix)
	}
	return window, ok
}
