package rules

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // every Error() line, in order
	}{
		{"yaml syntax", "rules: [\n", []string{"test.yaml:1:8: sequence end token ']' not found"}},
		{"unknown field", "rules:\n  - id: a\n    expresion: App == \"x\"\n    severity: high\n",
			[]string{`test.yaml:3:5: unknown field "expresion"`}},
		{"unknown section", "rule:\n  - id: a\n", []string{`test.yaml:1:1: unknown field "rule"`}},
		{"type error in expression", "rules:\n  - id: a\n    expression: App == 1\n    severity: high\n",
			[]string{`test.yaml:3:21: rule "a": expression: invalid operation: == (mismatched types string and int) (expression column 5)`}},
		{"not boolean", "rules:\n  - id: a\n    expression: SrcPort + 1\n    severity: high\n",
			[]string{`test.yaml:3:17: rule "a": expression: expected bool, but got int`}},
		{"unknown name on line 2 of a block", "rules:\n  - id: a\n    expression: |\n      App == \"x\" &&\n      Bar\n    severity: low\n",
			[]string{`test.yaml:5: rule "a": expression: unknown name Bar (expression line 2, column 1)`}},
		{"disabled builtin", "rules:\n  - id: a\n    expression: now().Hour() > 3\n    severity: low\n",
			[]string{`test.yaml:3:17: rule "a": expression: unknown name now (expression column 1)`}},
		{"several problems in file order", "rules:\n  - id: a\n    expression: App == \"x\"\n    severity: hgh\n  - id: a\n    expression: App == \"y\"\n    severity: low\n    threshold: {count: 0, window: 5m, by: x}\n",
			[]string{
				`test.yaml:4:15: rule "a": severity: want info, low, medium, high or critical`,
				`test.yaml:5:9: rule "a": id: duplicate`,
				`test.yaml:8:24: rule "a": threshold.count: must be positive`,
				`test.yaml:8:43: rule "a": threshold.by: want src, dst or pair`,
			}},
		{"missing fields", "rules:\n  - description: nothing\n",
			[]string{
				`test.yaml:2:5: id: want 1 to 64 letters, digits, '.', '_' or '-'`,
				`test.yaml:2:5: severity: want info, low, medium, high or critical`,
				`test.yaml:2:5: expression: missing`,
			}},
		{"threshold without window", "rules:\n  - id: a\n    expression: App == \"x\"\n    severity: low\n    threshold:\n      count: 3\n",
			[]string{`test.yaml:6:7: rule "a": threshold.window: missing`}},
		{"bad window", "limit:\n  - type: new_peer\n    count: 3\n    window: fish\n",
			[]string{`test.yaml:4:13: window: want a duration such as 10m or 1h, up to 168h0m0s`}},
		{"bad device", "suppress:\n  - device: 10.0.0.x\n",
			[]string{`test.yaml:2:13: device: "10.0.0.x" is neither an IP address nor a CIDR network`}},
		{"unknown alert type", "suppress:\n  - type: new_pear\n",
			[]string{`test.yaml:2:11: type: unknown alert type "new_pear"`}},
		{"empty selector", "suppress:\n  - {}\n",
			[]string{`test.yaml:2:5: suppress entry selects every alert: give type, rule_id, device or peer`}},
		{"two documents", "rules: []\n---\nrules: []\n", []string{`test.yaml:2:1: one YAML document per file`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFile([]byte(tc.src), "test.yaml")
			require.Error(t, err)
			assert.Equal(t, tc.want, strings.Split(err.Error(), "\n"))
			var list Errors
			require.True(t, errors.As(err, &list))
			assert.NotEmpty(t, list[0].Excerpt, "rules check shows the source")
		})
	}
}

func TestParseEmptyAndValid(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "rules: []\n"} {
		f, err := ParseFile([]byte(src), "empty.yaml")
		require.NoError(t, err, "%q", src)
		assert.Zero(t, f.Rules.Len())
		assert.Zero(t, f.Suppressor.Len())
	}
}

func TestLoadExample(t *testing.T) {
	f, err := LoadFile(filepath.Join("testdata", "files", "example.yaml"))
	require.NoError(t, err)
	assert.Equal(t, 2, f.Rules.Len())
	assert.Equal(t, 4, f.Suppressor.Len())
	r := f.Rules.Rules()[1]
	assert.Equal(t, &Threshold{Count: 100, Window: 5 * 60e9, By: BySrc}, r.Threshold)
	assert.Equal(t, 7, r.line)

	s, err := Load(filepath.Join("testdata", "files", "example.yaml"))
	require.NoError(t, err)
	assert.Equal(t, 2, s.Len())
	sup, err := LoadSuppression(filepath.Join("testdata", "files", "example.yaml"))
	require.NoError(t, err)
	assert.Equal(t, 4, sup.Len())
}

func TestLoadErrors(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "files", "bad.yaml"))
	require.Error(t, err)
	assert.Equal(t, `testdata/files/bad.yaml:8:25: rule "bad-type": expression: invalid operation: == (mismatched types int and string) (expression column 9)`, err.Error())

	_, err = Load(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.ErrorContains(t, err, "rules: open")

	big := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(big, make([]byte, MaxFileBytes+1), 0o600))
	_, err = Load(big)
	assert.ErrorIs(t, err, ErrFileTooLarge)
}

func TestParseCaps(t *testing.T) {
	var b strings.Builder
	b.WriteString("rules:\n")
	for i := range MaxRules + 1 {
		fmt.Fprintf(&b, "  - {id: r%d, expression: 'App == \"x\"', severity: low}\n", i)
	}
	_, err := Parse([]byte(b.String()), "many.yaml")
	assert.ErrorContains(t, err, fmt.Sprintf("many.yaml:%d:6: more than %d rules", MaxRules+2, MaxRules))

	long := "rules:\n  - {id: a, severity: low, expression: '" + strings.Repeat("true && ", MaxExprLen/8) + "true'}\n"
	_, err = Parse([]byte(long), "long.yaml")
	assert.ErrorContains(t, err, "longer than 4096 bytes")

	b.Reset()
	b.WriteString("rules:\n")
	for range MaxErrors + 10 {
		b.WriteString("  - {id: a, expression: x, severity: low}\n")
	}
	_, err = Parse([]byte(b.String()), "errors.yaml")
	var list Errors
	require.True(t, errors.As(err, &list))
	assert.Len(t, list, MaxErrors)
}

func TestCombineReplacesByID(t *testing.T) {
	user := mustParse(t, `rules:
  - id: dicom-unknown-ae
    description: site AE titles
    expression: App == "dicom" && DICOM.CalledAE not in ["ARCHIVE", "PACS"]
    severity: high
  - id: extra
    expression: App == "zpl"
    severity: info
`)
	s, err := Combine(Default(), user.Rules)
	require.NoError(t, err)
	assert.Equal(t, Default().Len()+1, s.Len())
	var got Rule
	for _, r := range s.Rules() {
		if r.ID == "dicom-unknown-ae" {
			got = r
		}
	}
	assert.Equal(t, "site AE titles", got.Description)

	m := msg("dicom", "A-ASSOCIATE-RQ", "10.40.3.20:50000", "10.40.9.9:104")
	m.Attrs = map[string]string{"called_ae": "PACS"}
	assert.Empty(t, s.Match(eventOf(m)), "the user's definition replaced the default")
}

func TestDefaultYAMLIsACopy(t *testing.T) {
	b := DefaultYAML()
	b[0] = 'X'
	assert.NotEqual(t, b[0], DefaultYAML()[0])
	assert.Equal(t, 7, Default().Len())
}
