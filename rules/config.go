package rules

import "time"

// Caps of the rule engine. Every table the engine keeps is bounded by one of these;
// hitting a cap is an error at load time or a counted event at run time (see Stats).
const (
	// MaxFileBytes caps a rule file read by Load.
	MaxFileBytes = 1 << 20
	// MaxRules caps the rules of one Set; MaxEntries the suppress, limit and
	// threshold entries of one Suppressor.
	MaxRules   = 1000
	MaxEntries = 1000
	// MaxExprLen caps the length of one expression.
	MaxExprLen = 4096
	// MaxErrors caps the problems one Parse reports.
	MaxErrors = 50
	// MaxKeys caps the keys (source, destination or pair) that one rule threshold
	// or one limit/threshold entry follows. At the cap, expired keys are swept; if
	// none had expired, one key is evicted and counted ("state_evicted").
	MaxKeys = 10000
	// MaxWindow caps a window, so that no state is kept for ever.
	MaxWindow = 7 * 24 * time.Hour
)
