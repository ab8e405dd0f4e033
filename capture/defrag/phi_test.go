package defrag

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNoPatientValuesInStats feeds fragments of an HL7 message carrying
// fictional patient values, through every drop path, and checks that the only
// things the package reports (its counters) carry none of them.
func TestNoPatientValuesInStats(t *testing.T) {
	planted := []string{"DOE^JANE^QUINCY", "MRN99887766", "19800229", "ACC5550123", "742 EVERGREEN TERRACE", "5550142", "078-05-1120"}
	msg := []byte("MSH|^~\\&|ADT|HOSP|LIS|LAB|20260304140312||ADT^A01|1|P|2.3\r" +
		"PID|1||MRN99887766^^^HOSP^MR||DOE^JANE^QUINCY||19800229|F|||742 EVERGREEN TERRACE^^SPRINGFIELD||5550142|||||ACC5550123|078-05-1120\r")
	msg = append(msg, make([]byte, 8-len(msg)%8)...)
	f := split(msg, 48, 1)
	dups := append([]frag{f[2], f[2]}, f...)
	bad := f[1]
	bad.data = bad.data[:13]
	conflict := f[2]
	conflict.data = []byte(strings.Repeat("DOE^JANE", 8))

	var seen strings.Builder
	for _, frags := range [][]frag{
		f,                              // reassembled
		dups,                           // duplicates
		append([]frag{conflict}, f...), // overlaps
		{f[0], bad, f[2]},              // invalid
		f[:2],                          // left to time out
	} {
		d := New(Config{MaxBytes: 4096, MaxDatagrams: 2})
		feed(d, frags)
		d.Expire(t0.Add(DefaultConfig().Timeout * 2))
		fmt.Fprintf(&seen, "%+v %v\n", d.Stats(), d.Stats())
	}
	for _, v := range planted {
		assert.NotContains(t, seen.String(), v)
	}
}
