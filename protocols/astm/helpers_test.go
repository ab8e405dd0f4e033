package astm

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// corpusDir holds the shared public samples; tests skip when it is absent.
const corpusDir = "../../../shared/corpus/astm"

var testFlow = &app.Flow{ID: 1, Transport: app.TCP}

// controlNames maps the written-out names of control bytes to the bytes.
var controlNames = map[string]byte{
	"STX": 0x02, "ETX": 0x03, "EOT": 0x04, "ENQ": 0x05, "ACK": 0x06,
	"LF": 0x0a, "CR": 0x0d, "NAK": 0x15, "ETB": 0x17,
}

// fromNotation turns a transcript with control bytes written out as <STX> or
// [STX] into bytes. With caret, "^B"-style pairs at the start of a line are
// control bytes too (only there: "^B" inside a record is a component
// delimiter followed by B). With lfToCR, line feeds become CR, for transcripts
// whose writer turned each CR into a new line.
func fromNotation(s string, caret, lfToCR bool) []byte {
	var out []byte
	lineStart := true
	for i := 0; i < len(s); {
		c := s[i]
		if c == '<' || c == '[' {
			closer := byte('>')
			if c == '[' {
				closer = ']'
			}
			if j := strings.IndexByte(s[i+1:], closer); j > 0 && j <= 3 {
				if b, ok := controlNames[s[i+1:i+1+j]]; ok {
					out = append(out, b)
					i += j + 2
					lineStart = false
					continue
				}
			}
		}
		if caret && lineStart && c == '^' && i+1 < len(s) && s[i+1] >= '@' && s[i+1] <= '_' {
			out = append(out, s[i+1]-'@')
			i += 2
			continue
		}
		lineStart = c == '\n'
		if c == '\n' && lfToCR {
			c = '\r'
		}
		out = append(out, c)
		i++
	}
	return out
}

// withChecksums replaces each {CS} with the E1381 checksum of the frame before
// it (from the last STX through ETX/ETB), and {BAD} with a wrong one. This is
// the test's own computation, independent of the package.
func withChecksums(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		cs, bad := bytes.HasPrefix(b, []byte("{CS}")), bytes.HasPrefix(b, []byte("{BAD}"))
		if !cs && !bad {
			out = append(out, b[0])
			b = b[1:]
			continue
		}
		start := bytes.LastIndexByte(out, 0x02)
		var sum byte
		for _, c := range out[start+1:] {
			sum += c
		}
		if bad {
			sum++
			b = b[len("{BAD}"):]
		} else {
			b = b[len("{CS}"):]
		}
		out = append(out, fmt.Sprintf("%02X", sum)...)
	}
	return out
}

// step is one event of a scripted conversation.
type step struct {
	op   string // data, gap, end, wait
	dir  app.Direction
	data []byte
	n    int
	wait time.Duration
}

// script is a conversation read from testdata/conv: its description and steps.
type script struct {
	note  string
	steps []step
}

// loadScript reads a conversation file. Lines are "c2s BYTES" or "s2c BYTES"
// (notation as in fromNotation, with {CS} checksums), "gap DIR N", "end DIR",
// "wait DURATION"; "#" lines are the description.
func loadScript(t testing.TB, path string) script {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sc script
	var notes []string
	in := bufio.NewScanner(f)
	for in.Scan() {
		line := in.Text()
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			notes = append(notes, strings.TrimSpace(strings.TrimPrefix(line, "#")))
			continue
		}
		op, rest, _ := strings.Cut(line, " ")
		switch op {
		case "c2s", "s2c":
			sc.steps = append(sc.steps, step{op: "data", dir: parseDir(t, op), data: withChecksums(fromNotation(rest, false, false))})
		case "gap":
			d, n, _ := strings.Cut(rest, " ")
			k, err := strconv.Atoi(n)
			if err != nil {
				t.Fatalf("%s: %q: %v", path, line, err)
			}
			sc.steps = append(sc.steps, step{op: "gap", dir: parseDir(t, d), n: k})
		case "end":
			sc.steps = append(sc.steps, step{op: "end", dir: parseDir(t, rest)})
		case "wait":
			w, err := time.ParseDuration(rest)
			if err != nil {
				t.Fatalf("%s: %q: %v", path, line, err)
			}
			sc.steps = append(sc.steps, step{op: "wait", wait: w})
		default:
			t.Fatalf("%s: unknown line %q", path, line)
		}
	}
	if err := in.Err(); err != nil {
		t.Fatal(err)
	}
	sc.note = strings.Join(notes, " ")
	return sc
}

func parseDir(t testing.TB, s string) app.Direction {
	switch s {
	case "c2s":
		return app.ClientToServer
	case "s2c":
		return app.ServerToClient
	}
	t.Fatalf("bad direction %q", s)
	return 0
}

// t0 is the capture clock's start in every test.
var t0 = time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC)

// play runs a script through a new analyzer, splitting each data step at the
// given cut function's boundaries, and expires the flow at the end.
func play(sc script, cfg *Config, cut func(n int) []int) *prototest.Recorder {
	rec := &prototest.Recorder{}
	a := NewAnalyzer(testFlow, rec, cfg)
	now := t0
	for _, s := range sc.steps {
		switch s.op {
		case "data":
			feed(a, s.dir, s.data, now, cut)
		case "gap":
			a.Gap(s.dir, s.n)
		case "end":
			a.End(s.dir)
		case "wait":
			now = now.Add(s.wait)
		}
	}
	a.Expire()
	return rec
}

// feed delivers data in pieces cut at the offsets cut returns (nil: whole).
func feed(a *Analyzer, dir app.Direction, data []byte, ts time.Time, cut func(n int) []int) {
	prev := 0
	if cut != nil {
		for _, k := range cut(len(data)) {
			if k > prev && k < len(data) {
				a.Data(dir, data[prev:k], ts)
				prev = k
			}
		}
	}
	a.Data(dir, data[prev:], ts)
}

// corpusFiles lists the corpus, or skips the test when it is absent.
func corpusFiles(t *testing.T) []string { return prototest.CorpusFiles(t, corpusDir, "*") }

// caretFiles are corpus transcripts written in caret notation, with each CR
// written as a new line.
var caretFiles = map[string]bool{"nishishailesh__query_caret_notation_text.txt": true}

// loadCorpus reads one corpus file as the bytes that went on the wire.
func loadCorpus(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if caretFiles[filepath.Base(path)] {
		return fromNotation(string(b), true, true)
	}
	return b
}

func TestNotationHelpers(t *testing.T) {
	tests := []struct {
		in            string
		caret, lfToCR bool
		want          string
	}{
		{"<ENQ><STX>1H|\\^&<CR><ETX>", false, false, "\x05\x021H|\\^&\r\x03"},
		{"[STX]2L|1|N[CR][ETX]", false, false, "\x022L|1|N\r\x03"},
		{"^E^B1H|`^&\nQ|1|^1007149\n^C3A\n^D\n", true, true, "\x05\x021H|`^&\rQ|1|^1007149\r\x033A\r\x04\r"},
		{"R|8|^^^B Cells|<UNKNOWN>", true, false, "R|8|^^^B Cells|<UNKNOWN>"}, // ^B inside a record stays text
	}
	for _, tt := range tests {
		if got := string(fromNotation(tt.in, tt.caret, tt.lfToCR)); got != tt.want {
			t.Errorf("fromNotation(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// <STX>3L|1|N<CR><ETX>06 is a frame of the VITROS host query in the corpus.
	if got := string(withChecksums([]byte("\x023L|1|N\r\x03{CS}\x02x\x03{BAD}"))); got != "\x023L|1|N\r\x0306\x02x\x037C" {
		t.Errorf("withChecksums: %q", got)
	}
}
