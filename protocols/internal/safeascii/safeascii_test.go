package safeascii

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCopy(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		max     int
		spaceOK bool
		want    string
	}{
		{"plain", "lis.example.test", 64, false, "lis.example.test"},
		{"space replaced in names", "a b", 64, false, "a?b"},
		{"space kept in values", "a b", 64, true, "a b"},
		{"controls and high bytes", "a\x00\r\n\x1b\x7f\xffb", 64, true, "a??????b"},
		{"truncated before replacing", "abc\x00def", 4, true, "abc?"},
		{"empty", "", 8, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Copy([]byte(tt.in), tt.max, tt.spaceOK))
		})
	}
}
