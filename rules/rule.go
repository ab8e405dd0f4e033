package rules

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"labwatch/detect"
)

// Rule is one user or default rule as written in a rule file.
type Rule struct {
	ID          string
	Description string
	Expr        string // an expr-lang boolean expression over Event
	Severity    detect.Severity
	// Threshold, when set, makes the rule alert only when it matched Count times
	// for one key within Window of capture time.
	Threshold *Threshold

	line int // where the rule starts in its file
}

// Line is where the rule starts in its file (0 when unknown).
func (r Rule) Line() int { return r.line }

// Threshold is "Count matches per Window per key". By is BySrc, ByDst or ByPair.
type Threshold struct {
	Count  int
	Window time.Duration
	By     string
}

// compiledRule is a Rule ready to run, with its counters.
type compiledRule struct {
	Rule
	program *vm.Program
	apps    []string // the App values it can match; nil when any
	counts  *windows // nil without a threshold

	matches, alerts, evalErrors uint64
}

// exprOptions are the compile options of every rule: the Event vocabulary, a
// boolean result, and no builtins that read the wall clock (rules run on capture
// time) or build unbounded strings.
func exprOptions() []expr.Option {
	return []expr.Option{
		expr.Env(Event{}),
		expr.AsBool(),
		expr.DisableBuiltin("now"),
		expr.DisableBuiltin("date"),
		expr.DisableBuiltin("repeat"),
		expr.Function("inCIDR", inCIDR, new(func(string, string) bool)),
	}
}

// inCIDR is the expression function inCIDR(ip, "10.0.0.0/8"): false for anything
// that does not parse.
func inCIDR(params ...any) (any, error) {
	ip, _ := params[0].(string)
	cidr, _ := params[1].(string)
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false, nil
	}
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false, nil
	}
	return p.Contains(a.Unmap()), nil
}

// compileExpr compiles one expression. On error it returns the message and the
// 1-based line and column inside the expression (0 when unknown).
func compileExpr(src string) (*vm.Program, string, int, int) {
	program, err := expr.Compile(src, exprOptions()...)
	if err == nil {
		return program, "", 0, 0
	}
	if fe, ok := err.(*file.Error); ok {
		return nil, fe.Message, fe.Line, fe.Column + 1
	}
	return nil, err.Error(), 0, 0
}

func validSeverity(s detect.Severity) bool {
	switch s {
	case detect.SeverityInfo, detect.SeverityLow, detect.SeverityMedium,
		detect.SeverityHigh, detect.SeverityCritical:
		return true
	}
	return false
}

func validBy(by string) bool { return by == BySrc || by == ByDst || by == ByPair }

// validID accepts ids made of letters, digits, '.', '_' and '-', as metric labels
// and SIEM fields want them.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func (t *Threshold) String() string {
	return fmt.Sprintf("%d per %s by %s", t.Count, t.Window, t.By)
}
