package astm

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"labwatch/protocols/app"
	"labwatch/protocols/internal/prototest"
)

// golden is what a golden file holds for one input: what the test's own scan of
// the bytes found, and what the package reported.
type golden struct {
	File      string                    `json:"file"`
	Note      string                    `json:"note"`
	Probe     string                    `json:"probe"`
	Wire      *wireScan                 `json:"wire,omitempty"`
	Messages  []goldenMessage           `json:"messages"`
	Anomalies []prototest.GoldenAnomaly `json:"anomalies"`
	// Records is ParseRecords' view of files that hold raw records.
	Records *goldenSession `json:"records,omitempty"`
}

type goldenMessage struct {
	Dir       string         `json:"dir"`
	Type      string         `json:"type"`
	Sender    string         `json:"sender,omitempty"`
	Device    string         `json:"device,omitempty"`
	Software  string         `json:"software,omitempty"`
	Receiver  string         `json:"receiver,omitempty"`
	Version   string         `json:"version,omitempty"`
	ControlID string         `json:"control_id,omitempty"`
	Results   int            `json:"results"`
	Orders    int            `json:"orders"`
	Queries   int            `json:"queries"`
	PHI       []string       `json:"phi,omitempty"`
	PHIFields []string       `json:"phi_fields,omitempty"`
	Counts    map[string]int `json:"counts"`
	Bytes     int            `json:"bytes"`
}

// goldenSession is ParseRecords' result without result values: test codes,
// units, flags and status are enough to pin the parse.
type goldenSession struct {
	Error    string          `json:"error,omitempty"`
	Messages []goldenRecords `json:"messages"`
	Findings []Finding       `json:"findings,omitempty"`
}

type goldenRecords struct {
	Kind      string       `json:"kind"`
	Complete  bool         `json:"complete"`
	Header    Header       `json:"header"`
	Records   RecordCounts `json:"records"`
	PHIFields []string     `json:"phi_fields,omitempty"`
	Orders    []Order      `json:"orders,omitempty"`
	Results   []string     `json:"results,omitempty"` // test|units|flags|status
	Queries   []Query      `json:"queries,omitempty"`
}

// wireScan is the test's own E1381 reading of one byte stream: frames found
// (STX … ETX/ETB), how many carry two hex digits equal to the modulo-256 sum
// recomputed here, and the ENQ and EOT bytes. It shares no code with the package.
type wireScan struct {
	Frames    int `json:"frames"`
	ETBFrames int `json:"etb_frames"`
	ValidSums int `json:"valid_checksums"`
	ENQ       int `json:"enq"`
	EOT       int `json:"eot"`
}

func scanWire(b []byte) *wireScan {
	var w wireScan
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case 0x05:
			w.ENQ++
		case 0x04:
			w.EOT++
		case 0x02:
			j := i + 1
			for j < len(b) && b[j] != 0x03 && b[j] != 0x17 && b[j] != 0x02 {
				j++
			}
			if j == len(b) || b[j] == 0x02 {
				continue
			}
			w.Frames++
			if b[j] == 0x17 {
				w.ETBFrames++
			}
			var sum int
			for _, c := range b[i+1 : j+1] {
				sum += int(c)
			}
			if j+2 < len(b) && strings.EqualFold(string(b[j+1:j+3]), fmt.Sprintf("%02X", sum%256)) {
				w.ValidSums++
			}
			i = j
		}
	}
	if w == (wireScan{}) {
		return nil
	}
	return &w
}

func toGolden(rec *prototest.Recorder) ([]goldenMessage, []prototest.GoldenAnomaly) {
	msgs := []goldenMessage{}
	for _, m := range rec.Msgs {
		msgs = append(msgs, goldenMessage{
			Dir: m.Dir.String(), Type: m.Type, Sender: m.Sender, Device: m.Device, Software: m.Software,
			Receiver: m.Receiver, Version: m.Version, ControlID: m.ControlID,
			Results: m.Results, Orders: m.Orders, Queries: m.Queries,
			PHI: m.PHI.Kinds(), PHIFields: m.PHIFields, Counts: m.Counts, Bytes: m.Bytes,
		})
	}
	return msgs, prototest.GoldenAnomalies(rec.Anoms)
}

func toGoldenSession(s Session, err error) *goldenSession {
	g := &goldenSession{Messages: []goldenRecords{}, Findings: s.Findings}
	if err != nil {
		g.Error = err.Error()
	}
	for _, m := range s.Messages {
		r := goldenRecords{Kind: m.Kind, Complete: m.Complete, Header: m.Header, Records: m.Records,
			PHIFields: m.PHIFields, Orders: m.Orders, Queries: m.Queries}
		for _, res := range m.Results {
			r.Results = append(r.Results, strings.Join([]string{res.TestID, res.Units, res.Flags, res.Status}, "|"))
		}
		g.Messages = append(g.Messages, r)
	}
	return g
}

// checkGolden compares got with testdata/golden/name.json, or rewrites it.
func checkGolden(t *testing.T, name string, got golden) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".json")
	want, out := prototest.GoldenBytes(t, path, prototest.MarshalGoldenUnescaped(t, got))
	assert.Equal(t, prototest.Decode[golden](t, want), prototest.Decode[golden](t, out),
		"golden %s differs; run go test -update after checking", path)
}

// corpusExpect states, per corpus file, what the test expects independently of
// the golden files: message types, result records, the frames and valid
// checksums the test's own scan finds, and the anomaly reasons with counts.
var corpusExpect = map[string]struct {
	note    string
	types   string
	results int
	frames  int // -1: no E1381 frame
	valid   int
	reasons string
}{
	"chistousov__beckman_dxh_scenario_query_results.txt":          {"Beckman DxH raw records with '!' component and '~' escape declared in H; 3 queries, 3 order replies, 3 results; the tool's '@send/@receive' annotation lines are bad_record", "query,query,query,order,order,order,result,result,result", 84, -1, 0, "bad_record=9"},
	"go-astm__biorad_ihcom_v52_bloodtype.astm":                    {"Bio-Rad IH-Com raw records, R+C pairs, repeat '\\' inside fields, last line without terminator", "result", 4, -1, 0, ""},
	"go-astm__biorad_ihcom_v52_bloodtype_por.astm":                {"Bio-Rad IH-Com raw records, two P/O groups in one message", "result", 5, -1, 0, ""},
	"go-astm__euroimmun_analyzer1_sarscov2.astm":                  {"EUROIMMUN raw records: 20 P/O/R groups in one message, comma decimals, '>8' values, empty H fields", "result", 20, -1, 0, ""},
	"go-astm__horiba_yumizen_h550_qc.astm":                        {"Horiba H550 QC run (H-12 Q: specimen IDs not counted as PHI), H|\\\\^& doubled backslash read as odd_delimiters, 11 KB M histogram record", "result", 20, -1, 0, ""},
	"go-astm__immucor_galileo_order.astm":                         {"Immucor Galileo order from the LIS, trailing space after L|1|N and no final terminator", "order", 0, -1, 0, ""},
	"go-astm__immucor_galileo_result.astm":                        {"Immucor Galileo blood bank results, two O groups, component results 3+^3+^45", "result", 14, -1, 0, ""},
	"nishishailesh__erba_xl_backtick_repeat_single_frame.astm":    {"Erba XL: ENQ, one frame with the whole message, backtick repeat delimiter, EOT", "result", 1, 1, 1, ""},
	"nishishailesh__lis_order_reply_single_frame_oddframing.astm": {"LIS reply in one frame whose records carry frame-number digits (2P, 3O, 4L): stripped and counted as record_fn_prefix", "order", 0, 1, 1, ""},
	"nishishailesh__query_caret_notation_text.txt":                {"caret-notation transcript (^E^B … ^C3A ^D, CR written as new line) converted by the test: one query frame, backtick-separated specimen IDs", "query", 0, 1, 1, ""},
	"nishishailesh__tosoh_hplc_nonastm_stx_etx.bin":               {"Tosoh HPLC host protocol, not ASTM: STX/ETX blocks with a one-byte BCC; Probe says no_match and the analyzer gives up without a message", "", 0, 72, 0, "bad_frame_number=1 bad_record=3 framing_error=12 gave_up=1"},
	"nishishailesh__vitros3600_host_query_Q.astm":                 {"VITROS 3600 host query: ENQ, three frames, EOT", "query", 0, 3, 3, ""},
	"nishishailesh__vitros3600_results_enq_eot.astm":              {"VITROS 3600 results: ENQ, 16 frames wrapping 7 to 0, M records, EOT", "result", 8, 16, 16, ""},
	"nishishailesh__vitros3600_results_lt_values.astm":            {"VITROS 3600 censored values (<15): ENQ, 9 frames, EOT", "result", 4, 9, 9, ""},
	"nishishailesh__yumizen_h500_raw_enq_etb_eot.astm":            {"Horiba Yumizen H500 capture: ENQ, 125 frames of which 89 ETB joining long M records, EOT", "result", 27, 125, 125, ""},
	"python-astm__chunked_frames_etb.bin":                         {"python-astm ETB test frames: records H|foo|bar and L|bar|baz joined across frames; H-2 'foo' is no delimiter set", "other", 0, 4, 4, "bad_delimiters=1"},
	"python-astm__client_session_enq_eot.bin":                     {"python-astm sender transcript: two ENQ…EOT sessions of bare H, P, O, L records, then an empty ENQ EOT", "order,order", 0, 8, 8, ""},
	"senaite-astm__abbott_afinion2.txt":                           {"Abbott Afinion 2: one frame with the whole message, trailer ETX cs CR", "result", 1, 1, 1, ""},
	"senaite-astm__arkray_spotchem_el_native.txt":                 {"Arkray Spotchem native report inside STX…ETX without checksum, not ASTM: probe need_more, analyzer bad_record", "", 0, 1, 0, "bad_record=1"},
	"senaite-astm__biomerieux_minividas_native.txt":               {"bioMérieux miniVIDAS native protocol (STX, RS/GS separators), not ASTM: no ETX, framing_error at the end", "", 0, -1, 0, "framing_error=1"},
	"senaite-astm__cepheid_genexpert.txt":                         {"Cepheid GeneXpert: '@' repeat and '\\' escape declared in H, 84 R records in one 4 KB frame", "result", 84, 1, 1, ""},
	"senaite-astm__horiba_pentra_xlr.txt":                         {"Horiba Pentra XLR: 28 frames wrapping 7 to 0, trailers cs LF", "result", 21, 28, 28, ""},
	"senaite-astm__horiba_yumizen_h500.txt":                       {"Horiba Yumizen H500 QC export: frame numbers 5,1,1,1,4 out of sequence with valid checksums (4 bad_frame_number, records kept), 26 KB M frames", "result", 21, 31, 31, "bad_frame_number=4"},
	"senaite-astm__roche_cobas_c111.txt":                          {"Roche cobas c111: one record per frame, six ETB frames then ETX, trailers cs LF", "result", 1, 7, 7, ""},
	"senaite-astm__roche_cobas_c311.txt":                          {"Roche cobas c311: one frame, repeated test IDs, space-padded specimen ID", "result", 7, 1, 1, ""},
	"senaite-astm__siemens_dca_vantage.txt":                       {"Siemens DCA Vantage: one frame, trailer ETX cs CR", "result", 3, 1, 1, ""},
	"senaite-astm__sysmex_xn550.txt":                              {"Sysmex XN-550: one frame, space-padded H-5 sender, 41 results", "result", 41, 1, 1, ""},
	"senaite-astm__sysmex_xp100.txt":                              {"Sysmex XP-100: one frame, space-padded values", "result", 20, 1, 1, ""},
	"tgenaux__minimal_order.txt":                                  {"minimal raw order with a '#' comment line (bad_record) and a bare L", "order", 0, -1, 0, "bad_record=1"},
	"tgenaux__ortho_vision_annotated.txt":                         {"Ortho VISION raw result with M image records; '#' comment line", "result", 2, -1, 0, "bad_record=1"},
	"tgenaux__phadia_prime_lis2a2_annotated.txt":                  {"Phadia Prime raw LIS2-A2 result with two '#' comment lines", "result", 3, -1, 0, "bad_record=2"},
	"tgenaux__repeat_fields_O_only.txt":                           {"a lone O record with repeats, no H: missing_header", "", 0, -1, 0, "missing_header=1"},
}

// reasonCounts renders anomaly reasons as sorted "reason=count" pairs.
func reasonCounts(rec *prototest.Recorder) string {
	n := map[string]int{}
	for _, a := range rec.Anoms {
		n[a.Reason]++
	}
	var out []string
	for r, c := range n {
		out = append(out, fmt.Sprintf("%s=%d", r, c))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func TestGoldenCorpus(t *testing.T) {
	files := corpusFiles(t)
	require.Len(t, files, len(corpusExpect), "every corpus file needs an expectation")
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := corpusExpect[name]
			require.True(t, ok, "no expectation for %s", name)
			data := loadCorpus(t, path)
			sc := script{steps: []step{{op: "data", data: data}, {op: "end"}}}
			rec := play(sc, nil, nil)

			var types []string
			results, frames := 0, 0
			for _, m := range rec.Msgs {
				types = append(types, m.Type)
				results += m.Results
				frames += m.Counts[KeyFrames]
				assert.Equal(t, m.Counts["R"], m.Results)
			}
			assert.Equal(t, want.types, strings.Join(types, ","))
			assert.Equal(t, want.results, results)
			assert.Equal(t, want.reasons, reasonCounts(rec))
			wire := scanWire(data)
			if want.frames < 0 {
				assert.True(t, wire == nil || wire.Frames == 0)
			} else {
				require.NotNil(t, wire)
				assert.Equal(t, want.frames, wire.Frames)
				assert.Equal(t, want.valid, wire.ValidSums)
				if want.valid == want.frames && len(rec.Msgs) > 0 {
					// Every frame verified by the test's own sum is counted once.
					assert.Equal(t, wire.Frames, frames)
				}
			}

			g := golden{File: name, Note: want.note, Probe: prototest.ProbeName(Probe(data)), Wire: wire}
			g.Messages, g.Anomalies = toGolden(rec)
			if wire == nil || wire.Frames == 0 {
				s, err := ParseRecords(data, nil)
				g.Records = toGoldenSession(s, err)
			}
			checkGolden(t, "corpus__"+strings.TrimSuffix(name, filepath.Ext(name)), g)

			assertSegmentationInvariant(t, sc, rec)
		})
	}
}

func TestGoldenConversations(t *testing.T) {
	files, err := filepath.Glob("testdata/conv/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		t.Run(name, func(t *testing.T) {
			sc := loadScript(t, path)
			rec := play(sc, nil, nil)
			var c2s []byte
			for _, s := range sc.steps {
				if s.op == "data" && s.dir == app.ClientToServer {
					c2s = append(c2s, s.data...)
				}
			}
			g := golden{File: filepath.Base(path), Note: sc.note, Probe: prototest.ProbeName(Probe(c2s)), Wire: scanWire(c2s)}
			g.Messages, g.Anomalies = toGolden(rec)
			checkGolden(t, "conv__"+name, g)
			assertSegmentationInvariant(t, sc, rec)
		})
	}
}

// assertSegmentationInvariant replays sc cut into random pieces, and byte by
// byte, and requires the same output as the whole replay.
func assertSegmentationInvariant(t *testing.T, sc script, whole *prototest.Recorder) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, uint64(len(sc.steps))))
	cuts := []func(n int) []int{
		func(n int) []int { return randomCuts(rng, n) },
		func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
	}
	for _, cut := range cuts {
		got := play(sc, nil, cut)
		require.Equal(t, whole.Msgs, got.Msgs, "messages depend on segmentation")
		require.Equal(t, whole.Anoms, got.Anoms, "anomalies depend on segmentation")
	}
}

// randomCuts returns increasing offsets splitting n bytes into random pieces.
func randomCuts(rng *rand.Rand, n int) []int {
	var out []int
	for k := 0; k < n; {
		k += 1 + rng.IntN(64)
		out = append(out, k)
	}
	return out
}
