package rules

import (
	"slices"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// appGuard returns the App values an expression can possibly match, read from
// its conditions on App (`App == "hl7"`, `App in ["hl7", "astm"]`, joined by
// and/or), or nil when it may match any app. Set.Match uses it to skip rules
// that cannot match an event without running them.
func appGuard(src string) []string {
	tree, err := parser.Parse(src)
	if err != nil || declaresVariables(tree.Node) {
		return nil // a variable could shadow App; stay safe
	}
	apps, ok := guardOf(tree.Node)
	if !ok {
		return nil
	}
	slices.Sort(apps)
	return slices.Compact(apps)
}

// guardOf returns the possible App values of a boolean node, ok=false when any.
func guardOf(n ast.Node) ([]string, bool) {
	b, isBinary := n.(*ast.BinaryNode)
	if !isBinary {
		return nil, false
	}
	switch b.Operator {
	case "&&", "and":
		l, lok := guardOf(b.Left)
		r, rok := guardOf(b.Right)
		switch {
		case lok && rok:
			return intersect(l, r), true
		case lok:
			return l, true
		}
		return r, rok
	case "||", "or":
		l, lok := guardOf(b.Left)
		r, rok := guardOf(b.Right)
		if lok && rok {
			return append(l, r...), true
		}
		return nil, false
	case "==":
		if isApp(b.Left) {
			return stringsOf(b.Right)
		}
		if isApp(b.Right) {
			return stringsOf(b.Left)
		}
	case "in":
		if isApp(b.Left) {
			if arr, ok := b.Right.(*ast.ArrayNode); ok {
				var out []string
				for _, e := range arr.Nodes {
					s, ok := e.(*ast.StringNode)
					if !ok {
						return nil, false
					}
					out = append(out, s.Value)
				}
				return out, true
			}
		}
	}
	return nil, false
}

func isApp(n ast.Node) bool {
	id, ok := n.(*ast.IdentifierNode)
	return ok && id.Value == "App"
}

func stringsOf(n ast.Node) ([]string, bool) {
	if s, ok := n.(*ast.StringNode); ok {
		return []string{s.Value}, true
	}
	return nil, false
}

func intersect(a, b []string) []string {
	out := []string{}
	for _, s := range a {
		if slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// declaresVariables tells whether the expression uses `let`.
func declaresVariables(n ast.Node) bool {
	var v letFinder
	ast.Walk(&n, &v)
	return v.found
}

type letFinder struct{ found bool }

func (f *letFinder) Visit(n *ast.Node) {
	if _, ok := (*n).(*ast.VariableDeclaratorNode); ok {
		f.found = true
	}
}
