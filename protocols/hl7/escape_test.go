package hl7

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUnescape(t *testing.T) {
	std := DefaultSeparators
	custom := Separators{Field: '#', Component: '!', Repetition: '@', Escape: '%', Subcomponent: '*'}
	tests := []struct {
		name string
		in   string
		sep  Separators
		want string
	}{
		{"plain", "Glucose", std, "Glucose"},
		{"delimiters", `A\F\B\S\C\T\D\R\E\E\F`, std, `A|B^C&D~E\F`},
		{"truncation", `A\P\B`, std, "A#B"},
		{"hex", `\X0D0A\`, std, "\r\n"},
		{"hex lower case", `\X4c6162\`, std, "Lab"},
		{"highlight dropped", `\H\bold\N\ text`, std, "bold text"},
		{"line break", `one\.br\two\.sp\three`, std, "one\ntwo\nthree"},
		{"other formatting dropped", `\.in+4\indent\.ce\`, std, "indent"},
		{"charset escapes dropped", `\C2842\A\M2442\`, std, "A"},
		{"local escape dropped", `\Zfoo\x`, std, "x"},
		{"unclosed kept", `price \F`, std, `price \F`},
		{"unknown kept", `\Q\`, std, `\Q\`},
		{"bad hex kept", `\XZZ\ \X1\`, std, `\XZZ\ \X1\`},
		{"empty sequence kept", `a\\b`, std, `a\\b`},
		{"no escape char", `A\F\B`, Separators{Field: '|'}, `A\F\B`},
		{"undeclared separator kept", `\T\`, Separators{Field: '|', Component: '^', Escape: '\\'}, `\T\`},
		{"custom delimiters", `LAB%S%ONE%F%%E%`, custom, "LAB!ONE#%"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Unescape([]byte(tc.in), tc.sep))
			assert.Equal(t, "x"+tc.want, string(AppendUnescaped([]byte("x"), []byte(tc.in), tc.sep)))
		})
	}
}

// TestUnescapeCorpus decodes the escape-heavy fragment of the corpus and
// checks the decoded length, since every sequence shrinks.
func TestUnescapeCorpus(t *testing.T) {
	in := readCorpus(t, "hapi__fragment_uuencoded_escaped.txt")
	out := AppendUnescaped(nil, in, DefaultSeparators)
	assert.Less(t, len(out), len(in))
	assert.NotContains(t, string(out), `\X0D\`)
}
