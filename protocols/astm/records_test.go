package astm

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReadDelimiters(t *testing.T) {
	tests := []struct {
		h      string
		want   string // field, repeat, component, escape
		status delimStatus
	}{
		{`H|\^&|||A`, `|\^&`, delimsDeclared},
		{`H|\^&`, `|\^&`, delimsDeclared},
		{"H|`^&||||", "|`^&", delimsDeclared},   // Erba: backtick repeat
		{`H|\!~|(0:0)`, `|\!~`, delimsDeclared}, // Beckman DxH
		{`H|@^\|URM`, `|@^\`, delimsDeclared},   // Cepheid
		{`H|\\^&|||H550`, `|\^&`, delimsOdd},    // Horiba H550 doubled backslash
		{`H!\^&!!!A`, `!\^&`, delimsDeclared},   // another field delimiter
		{"H", `|\^&`, delimsNone},               // bare H (python-astm)
		{"H|foo|bar", `|\^&`, delimsBad},        // letters are no delimiters
		{"H|", `|\^&`, delimsBad},
		{"H|^", `|^\&`, delimsBad}, // one declared, two filled in around it
		{"HX\\^&", `|\^&`, delimsBad},
		{"H\\|^&", `\|^&`, delimsDeclared},
	}
	for _, tt := range tests {
		d, status := readDelimiters([]byte(tt.h))
		assert.Equal(t, tt.want, d.String(), tt.h)
		assert.Equal(t, tt.status, status, tt.h)
		assert.NotEqual(t, d.Repeat, d.Component, tt.h)
		assert.NotEqual(t, d.Component, d.Escape, tt.h)
		assert.NotEqual(t, d.Field, d.Repeat, tt.h)
	}
}

func TestRecordShape(t *testing.T) {
	tests := []struct {
		rec      string
		body     string
		ok       bool
		prefixed bool
	}{
		{"P|1", "P|1", true, false},
		{"L", "L", true, false},
		{"2P|1|||", "P|1|||", true, true}, // frame number written before the record
		{"4L|1|N", "L|1|N", true, true},
		{"8P|1", "8P|1", false, false}, // 8 is no frame number
		{"# comment", "# comment", false, false},
		{"@send fully", "@send fully", false, false},
		{"Hello", "Hello", false, false},
		{"p|1", "p|1", false, false},
		{"1", "1", false, false},
		{"4/10/29 13:08", "4/10/29 13:08", false, false},
	}
	for _, tt := range tests {
		body, ok, prefixed := recordShape([]byte(tt.rec))
		assert.Equal(t, tt.body, string(body), tt.rec)
		assert.Equal(t, tt.ok, ok, tt.rec)
		assert.Equal(t, tt.prefixed, prefixed, tt.rec)
	}
}

func TestFieldsAndComponents(t *testing.T) {
	d := Delimiters{'|', '\\', '^', '&'}
	rec := []byte(`P|1|PRAC|LAB||Last^First^M\Alias^X||19700101|F|`)
	assert.Equal(t, "P", string(field(rec, '|', 1)))
	assert.Equal(t, "PRAC", string(field(rec, '|', 3)))
	assert.Equal(t, "", string(field(rec, '|', 5)))
	assert.Equal(t, "", string(field(rec, '|', 10)))
	assert.Nil(t, field(rec, '|', 11))
	name := field(rec, '|', 6)
	assert.Equal(t, "Last", string(component(name, &d, 1)))
	assert.Equal(t, "M", string(component(name, &d, 3)), "components of the first repeat only")
	assert.Nil(t, component(name, &d, 4))
	assert.True(t, blank([]byte(" ^^\\^ "), &d))
	assert.False(t, blank([]byte("^^x"), &d))
	assert.Equal(t, "XN-550", string(trimSpace([]byte("    XN-550 "))))
}

func TestHeaderIdentity(t *testing.T) {
	tests := []struct {
		h                          string
		sender, device, sw         string
		receiver, proc, ver, stamp string
	}{
		{`H|\^&|||c311^1|||||host|RSUPL^REAL|P|1`, "c311", "c311", "1", "host", "P", "1", ""},
		{`H|\^&|||H500^906YOXH02459^2.2.0.5|||||||P|LIS2-A2|20200407165331`, "H500", "H500", "2.2.0.5", "", "P", "LIS2-A2", "20200407165331"},
		{`H|\^&|||    XN-550^00-24^22723^^^^BD634545||||||||E1394-97`, "XN-550", "XN-550", "00-24", "", "", "E1394-97", ""},
		{`H|\^&|||OCD^VISION^5.10.0.46252^JNumber|||||||P|LIS2-A|20240307151237`, "OCD", "OCD VISION", "5.10.0.46252", "", "P", "LIS2-A", "20240307151237"},
		{`H|\^&|||Phadia.Prime^1.2.0.12371^4.0|||||^127.0.0.1||P|1|20120522101251`, "Phadia.Prime", "Phadia.Prime", "1.2.0.12371", "127.0.0.1", "P", "1", "20120522101251"},
		{`H|\^&|||^^AF20052397`, "AF20052397", "AF20052397", "", "", "", "", ""},
		{"H|\\^&|||Bad\x01Name\xff", "Bad?Name?", "Bad?Name?", "", "", "", "", ""},
		{`H`, "", "", "", "", "", "", ""},
	}
	for _, tt := range tests {
		r := headerReader{max: 64}
		var h Header
		d, _ := readDelimiters([]byte(tt.h))
		r.read(&h, []byte(tt.h), d)
		assert.Equal(t, tt.sender, h.Sender, tt.h)
		assert.Equal(t, tt.device, h.Device, tt.h)
		assert.Equal(t, tt.sw, h.Software, tt.h)
		assert.Equal(t, tt.receiver, h.Receiver, tt.h)
		assert.Equal(t, tt.proc, h.ProcessingID, tt.h)
		assert.Equal(t, tt.ver, h.Version, tt.h)
		assert.Equal(t, tt.stamp, h.Timestamp, tt.h)
	}
}

func TestHeaderTruncatedAndReused(t *testing.T) {
	r := headerReader{max: 8}
	var h Header
	rec := []byte(`H|\^&|||AVeryLongAnalyzerName^1.0`)
	r.read(&h, rec, defaultDelimiters)
	assert.Equal(t, "AVeryLon", h.Sender)
	before := h.Sender
	allocs := testing.AllocsPerRun(100, func() { r.read(&h, rec, defaultDelimiters) })
	assert.Zero(t, allocs, "an unchanged header is not copied again")
	assert.Equal(t, before, h.Sender)
}

func TestVersionLike(t *testing.T) {
	for _, v := range []string{"1", "1.0", "00-24", "2.2.2.2b", "04.04.00.00", "v2.1", "5.10.0.46252"} {
		assert.True(t, versionLike([]byte(v)), v)
	}
	for _, v := range []string{"", "22723", "909YAXH02732", "S067337", "JNumber", "BD634545", "1 2", "v"} {
		assert.False(t, versionLike([]byte(v)), v)
	}
}
